package auth

// Roles a user can have in an organization, from most to least powerful.
// What each may do is the permission table in services/internal/rpcwire
// (authz.go); the ordering here is what that table compares against.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleMember = "member"
	RoleViewer = "viewer"
)

// roleRank orders the roles; a higher rank may do everything a lower one
// may. Unknown roles rank 0, below viewer, so they can do nothing.
var roleRank = map[string]int{RoleViewer: 1, RoleMember: 2, RoleAdmin: 3, RoleOwner: 4}

// ValidRole reports whether role is one of the four roles.
func ValidRole(role string) bool { return roleRank[role] > 0 }

// RoleAtLeast reports whether role is min or more powerful. An empty min
// is met by everyone, including a user acting outside any organization.
func RoleAtLeast(role, min string) bool {
	if min == "" {
		return true
	}
	return ValidRole(role) && roleRank[role] >= roleRank[min]
}

// Roles lists the roles from least to most powerful.
func Roles() []string { return []string{RoleViewer, RoleMember, RoleAdmin, RoleOwner} }
