package rpcwire

import (
	"slices"
	"testing"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// TestRuleFor pins the permission table documented in the README.
func TestRuleFor(t *testing.T) {
	t.Parallel()
	want := map[string]Rule{
		"/transcodely.v1.HealthService/Check":           {Public: true},
		"/transcodely.v1.OrganizationService/Create":    {Users: true},
		"/transcodely.v1.OrganizationService/Update":    {Users: true, MinRole: auth.RoleOwner},
		"/transcodely.v1.AppService/Archive":            {Users: true, MinRole: auth.RoleAdmin},
		"/transcodely.v1.APIKeyService/Create":          {Users: true, MinRole: auth.RoleAdmin, Keys: true, Scope: "api_keys:write"},
		"/transcodely.v1.UserService/GetMe":             {Users: true},
		"/transcodely.v1.UserService/UpdateRole":        {Users: true, MinRole: auth.RoleAdmin},
		"/transcodely.v1.JobService/Get":                {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "jobs:read"},
		"/transcodely.v1.JobService/Watch":              {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "jobs:read"},
		"/transcodely.v1.JobService/Create":             {Users: true, MinRole: auth.RoleMember, Keys: true, Scope: "jobs:write"},
		"/transcodely.v1.OriginService/Validate":        {Users: true, MinRole: auth.RoleMember, Keys: true, Scope: "origins:write"},
		"/transcodely.v1.PresetService/GetBySlug":       {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "presets:read"},
		"/transcodely.v1.WebhookService/ListEvents":     {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "webhooks:read"},
		"/transcodely.v1.WebhookService/Delete":         {Users: true, MinRole: auth.RoleMember, Keys: true, Scope: "webhooks:write"},
		"/transcodely.v1.OrganizationService/CheckSlug": {Users: true, Keys: true, Scope: "organizations:read"},
	}
	for p, w := range want {
		if got, ok := RuleFor(p); !ok || got != w {
			t.Errorf("RuleFor(%s) = %+v, %v; want %+v", p, got, ok, w)
		}
	}
	for _, p := range []string{"/transcodely.v1.UserService/Impersonate", "/transcodely.v1.JobService/Nope", "/other.Service/Get", "garbage"} {
		if _, ok := RuleFor(p); ok {
			t.Errorf("RuleFor(%s) has a rule; unknown procedures must be refused", p)
		}
	}
	procs := PublicProcedures()
	if len(procs) < 45 {
		t.Fatalf("PublicProcedures = %v", procs)
	}
	for _, p := range procs {
		if _, ok := RuleFor(p); !ok {
			t.Errorf("%s has no rule", p)
		}
	}
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	key := auth.Principal{KeyID: "ak_1", OrganizationID: "org_1", AppID: "app_1", Environment: "test"}
	scoped := key
	scoped.Scopes = []string{"jobs:write"}
	user := func(role string) auth.Principal {
		return auth.Principal{UserID: "usr_1", OrganizationID: "org_1", Role: role}
	}
	tests := []struct {
		p         auth.Principal
		procedure string
		allowed   bool
	}{
		{key, "/transcodely.v1.JobService/Create", true},
		{key, "/transcodely.v1.UserService/GetMe", false},
		{key, "/transcodely.v1.AppService/Create", false},
		{scoped, "/transcodely.v1.JobService/List", true},
		{scoped, "/transcodely.v1.OriginService/List", false},
		{user(auth.RoleViewer), "/transcodely.v1.JobService/List", true},
		{user(auth.RoleViewer), "/transcodely.v1.JobService/Cancel", false},
		{user(auth.RoleMember), "/transcodely.v1.JobService/Cancel", true},
		{user(auth.RoleMember), "/transcodely.v1.APIKeyService/Create", false},
		{user(auth.RoleAdmin), "/transcodely.v1.APIKeyService/Create", true},
		{user(auth.RoleAdmin), "/transcodely.v1.OrganizationService/Update", false},
		{user(auth.RoleOwner), "/transcodely.v1.OrganizationService/Update", true},
		{user(""), "/transcodely.v1.UserService/GetMe", true},
		{user(""), "/transcodely.v1.UserService/List", false},
		{auth.Principal{}, "/transcodely.v1.JobService/List", false},
	}
	for _, tt := range tests {
		err := Authorize(tt.p, tt.procedure)
		if (err == nil) != tt.allowed || (err != nil && rpcerr.KindOf(err) != rpcerr.KindPermissionDenied) {
			t.Errorf("Authorize(%+v, %s) = %v, want allowed=%v", tt.p, tt.procedure, err, tt.allowed)
		}
	}
}

func TestScopes(t *testing.T) {
	t.Parallel()
	s := Scopes()
	for _, want := range []string{"jobs:read", "jobs:write", "origins:read", "presets:write", "webhooks:read", "api_keys:write", "apps:read", "organizations:read"} {
		if !slices.Contains(s, want) {
			t.Errorf("Scopes() lacks %s: %v", want, s)
		}
	}
	if slices.Contains(s, "users:read") {
		t.Error("users:read is a scope, but keys cannot call UserService")
	}
	if !HasScope(nil, "jobs:write") || !HasScope([]string{"jobs:write"}, "jobs:read") || HasScope([]string{"jobs:read"}, "jobs:write") {
		t.Error("HasScope")
	}
}
