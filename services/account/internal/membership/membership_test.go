package membership

import (
	"errors"
	"testing"
)

func TestCheckRoleChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		caller, current, next string
		owners                int
		want                  error
	}{
		{"admin", "member", "viewer", 1, nil},
		{"admin", "viewer", "admin", 1, nil},
		{"admin", "member", "owner", 1, ErrOwnerOnly},
		{"admin", "owner", "member", 2, ErrOwnerOnly},
		{"owner", "member", "owner", 1, nil},
		{"owner", "owner", "admin", 2, nil},
		{"owner", "owner", "admin", 1, ErrLastOwner},
		{"owner", "owner", "owner", 1, nil},
	}
	for _, tt := range tests {
		if got := CheckRoleChange(tt.caller, tt.current, tt.next, tt.owners); !errors.Is(got, tt.want) {
			t.Errorf("CheckRoleChange(%s, %s -> %s, owners %d) = %v, want %v", tt.caller, tt.current, tt.next, tt.owners, got, tt.want)
		}
	}
}

func TestCheckRemoval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		caller, target string
		owners         int
		want           error
	}{
		{"admin", "member", 1, nil},
		{"admin", "admin", 1, nil},
		{"admin", "owner", 2, ErrOwnerOnly},
		{"owner", "owner", 2, nil},
		{"owner", "owner", 1, ErrLastOwner},
	}
	for _, tt := range tests {
		if got := CheckRemoval(tt.caller, tt.target, tt.owners); !errors.Is(got, tt.want) {
			t.Errorf("CheckRemoval(%s, %s, owners %d) = %v, want %v", tt.caller, tt.target, tt.owners, got, tt.want)
		}
	}
}
