// Package membership holds the rules for changing who belongs to an
// organization and with which role, beyond the minimum role the permission
// table already demands (admin): only an owner may make, unmake or remove
// an owner, and an organization never loses its last owner. It is pure Go,
// table-tested; the handler maps its errors to RPC codes.
package membership

import (
	"errors"

	"github.com/transcodely/transcodely/pkg/auth"
)

// ErrOwnerOnly means only an owner may do this (permission_denied).
var ErrOwnerOnly = errors.New("only an owner may make, demote or remove an owner")

// ErrLastOwner means the change would leave the organization without an
// owner (failed_precondition).
var ErrLastOwner = errors.New("the organization's last owner cannot be demoted or removed; make another member owner first")

// CheckRoleChange decides whether a caller with callerRole may change a
// membership from current to next, when the organization has owners owners.
func CheckRoleChange(callerRole, current, next string, owners int) error {
	if (current == auth.RoleOwner || next == auth.RoleOwner) && callerRole != auth.RoleOwner {
		return ErrOwnerOnly
	}
	if current == auth.RoleOwner && next != auth.RoleOwner && owners <= 1 {
		return ErrLastOwner
	}
	return nil
}

// CheckRemoval decides whether a caller with callerRole may remove a
// membership whose role is target, when the organization has owners owners.
func CheckRemoval(callerRole, target string, owners int) error {
	if target == auth.RoleOwner && callerRole != auth.RoleOwner {
		return ErrOwnerOnly
	}
	if target == auth.RoleOwner && owners <= 1 {
		return ErrLastOwner
	}
	return nil
}
