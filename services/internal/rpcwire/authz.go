package rpcwire

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	apikeyv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1"
	appv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1"
	healthv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/healthv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	organizationv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	userv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

// Rule is what one public procedure demands of its caller once
// authenticated. The whole permission table is documented in the README
// ("Getting in") and held by Rules; it is enforced in exactly one place, the
// authorization interceptor HandlerOptions installs, so a handler can rely
// on it and add only rules that depend on the request (the owner-only role
// changes, which the account service checks).
type Rule struct {
	// Public procedures need no credentials at all (health checks).
	Public bool
	// Users says whether user session tokens may call the procedure, and
	// MinRole the least role they need in the X-Organization-ID
	// organization ("" admits any signed-in user: the procedures that need
	// no organization).
	Users   bool
	MinRole string
	// Keys says whether API keys may call the procedure, and Scope the key
	// scope it needs ("jobs:write"); a key with no scopes has them all.
	Keys  bool
	Scope string
}

// publicFiles are the transcodely.v1 files whose services the table is
// built from. Services added to these files are covered automatically; a
// new file must be added here (until then its procedures are refused).
var publicFiles = []protoreflect.FileDescriptor{
	organizationv1.File_transcodely_v1_organization_proto,
	appv1.File_transcodely_v1_app_proto,
	apikeyv1.File_transcodely_v1_api_key_proto,
	userv1.File_transcodely_v1_user_proto,
	originv1.File_transcodely_v1_origin_proto,
	presetv1.File_transcodely_v1_preset_proto,
	jobv1.File_transcodely_v1_job_proto,
	webhookv1.File_transcodely_v1_webhook_proto,
	healthv1.File_transcodely_v1_health_proto,
}

// accountServices act on the organization rather than inside one app, so
// user sessions need no X-App-ID for them.
var accountServices = map[string]bool{
	"transcodely.v1.OrganizationService": true,
	"transcodely.v1.AppService":          true,
	"transcodely.v1.APIKeyService":       true,
	"transcodely.v1.UserService":         true,
	"transcodely.v1.HealthService":       true,
}

// resourceNames name the scope of each service; other services get their
// name without "Service", lowercased, plus "s".
var resourceNames = map[string]string{
	"transcodely.v1.OrganizationService": "organizations",
	"transcodely.v1.AppService":          "apps",
	"transcodely.v1.APIKeyService":       "api_keys",
	"transcodely.v1.UserService":         "users",
	"transcodely.v1.OriginService":       "origins",
	"transcodely.v1.PresetService":       "presets",
	"transcodely.v1.JobService":          "jobs",
	"transcodely.v1.WebhookService":      "webhooks",
}

// accountRules are the procedures of the account services, which do not
// follow the read/write default: organization and people management needs
// a user (an API key acts as its app, not as a person) and higher roles.
var accountRules = map[string]Rule{
	"/transcodely.v1.OrganizationService/CheckSlug": {Users: true, Keys: true, Scope: "organizations:read"},
	"/transcodely.v1.OrganizationService/Create":    {Users: true},
	"/transcodely.v1.OrganizationService/Get":       {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "organizations:read"},
	"/transcodely.v1.OrganizationService/Update":    {Users: true, MinRole: auth.RoleOwner},
	"/transcodely.v1.OrganizationService/List":      {Users: true, Keys: true, Scope: "organizations:read"},

	"/transcodely.v1.AppService/Create":  {Users: true, MinRole: auth.RoleAdmin},
	"/transcodely.v1.AppService/Get":     {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "apps:read"},
	"/transcodely.v1.AppService/Update":  {Users: true, MinRole: auth.RoleAdmin, Keys: true, Scope: "apps:write"},
	"/transcodely.v1.AppService/List":    {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "apps:read"},
	"/transcodely.v1.AppService/Archive": {Users: true, MinRole: auth.RoleAdmin},

	"/transcodely.v1.APIKeyService/Create": {Users: true, MinRole: auth.RoleAdmin, Keys: true, Scope: "api_keys:write"},
	"/transcodely.v1.APIKeyService/Get":    {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "api_keys:read"},
	"/transcodely.v1.APIKeyService/List":   {Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: "api_keys:read"},
	"/transcodely.v1.APIKeyService/Revoke": {Users: true, MinRole: auth.RoleAdmin, Keys: true, Scope: "api_keys:write"},

	"/transcodely.v1.UserService/GetMe":        {Users: true},
	"/transcodely.v1.UserService/UpdateMe":     {Users: true},
	"/transcodely.v1.UserService/Get":          {Users: true, MinRole: auth.RoleViewer},
	"/transcodely.v1.UserService/List":         {Users: true, MinRole: auth.RoleViewer},
	"/transcodely.v1.UserService/ListMembers":  {Users: true, MinRole: auth.RoleViewer},
	"/transcodely.v1.UserService/UpdateRole":   {Users: true, MinRole: auth.RoleAdmin},
	"/transcodely.v1.UserService/RemoveMember": {Users: true, MinRole: auth.RoleAdmin},
}

// readOnly lists procedures that change nothing but cannot carry the
// NO_SIDE_EFFECTS option (streaming methods).
var readOnly = map[string]bool{
	"/transcodely.v1.JobService/Watch": true,
}

// RuleFor returns the rule of a public procedure ("/pkg.Service/Method").
// Procedures of the account services come from an explicit table; every
// other transcodely.v1 procedure gets the default: a method marked
// NO_SIDE_EFFECTS (or a read-only stream) is a read (viewer, scope
// "<resource>:read"), anything else a write (member, "<resource>:write").
// ok is false for a procedure this process does not know, which is refused.
func RuleFor(procedure string) (Rule, bool) {
	service, method, ok := splitProcedure(procedure)
	if !ok {
		return Rule{}, false
	}
	if service == "transcodely.v1.HealthService" {
		return Rule{Public: true}, true
	}
	if r, ok := accountRules[procedure]; ok {
		return r, true
	}
	if accountServices[service] || !strings.HasPrefix(service, "transcodely.v1.") {
		// A new account RPC must be given a rule on purpose.
		return Rule{}, false
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return Rule{}, false
	}
	sd, isService := d.(protoreflect.ServiceDescriptor)
	if !isService {
		return Rule{}, false
	}
	md := sd.Methods().ByName(protoreflect.Name(method))
	if md == nil {
		return Rule{}, false
	}
	resource := resourceName(service)
	if readOnly[procedure] || idempotency(md) == descriptorpb.MethodOptions_NO_SIDE_EFFECTS {
		return Rule{Users: true, MinRole: auth.RoleViewer, Keys: true, Scope: resource + ":read"}, true
	}
	return Rule{Users: true, MinRole: auth.RoleMember, Keys: true, Scope: resource + ":write"}, true
}

// PublicProcedures lists every procedure of the public transcodely.v1
// services, sorted; tests use it to cover each one.
func PublicProcedures() []string {
	var out []string
	for _, f := range publicFiles {
		for i := range f.Services().Len() {
			s := f.Services().Get(i)
			for j := range s.Methods().Len() {
				out = append(out, "/"+string(s.FullName())+"/"+string(s.Methods().Get(j).Name()))
			}
		}
	}
	sort.Strings(out)
	return out
}

// Scopes lists every API-key scope that means something: "<resource>:read"
// and "<resource>:write" for each service an API key may call. A key's
// ":write" scope includes ":read" of the same resource.
func Scopes() []string {
	seen := map[string]bool{}
	for _, p := range PublicProcedures() {
		if r, ok := RuleFor(p); ok && r.Keys && r.Scope != "" {
			res, _, _ := strings.Cut(r.Scope, ":")
			seen[res+":read"], seen[res+":write"] = true, true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// HasScope reports whether a key with scopes may use scope. An empty list
// means every scope.
func HasScope(scopes []string, scope string) bool {
	if len(scopes) == 0 || scope == "" {
		return true
	}
	res, access, _ := strings.Cut(scope, ":")
	for _, s := range scopes {
		if s == scope || (access == "read" && s == res+":write") {
			return true
		}
	}
	return false
}

// AppScoped reports whether a procedure acts inside one app (origins,
// presets, jobs, webhooks): a user session must then name the app.
func AppScoped(procedure string) bool {
	service, _, ok := splitProcedure(procedure)
	return ok && strings.HasPrefix(service, "transcodely.v1.") && !accountServices[service]
}

func splitProcedure(procedure string) (service, method string, ok bool) {
	rest, ok := strings.CutPrefix(procedure, "/")
	if !ok {
		return "", "", false
	}
	service, method, ok = strings.Cut(rest, "/")
	return service, method, ok && service != "" && method != ""
}

func resourceName(service string) string {
	if n, ok := resourceNames[service]; ok {
		return n
	}
	name := service[strings.LastIndexByte(service, '.')+1:]
	return strings.ToLower(strings.TrimSuffix(name, "Service")) + "s"
}

func idempotency(md protoreflect.MethodDescriptor) descriptorpb.MethodOptions_IdempotencyLevel {
	opts, ok := md.Options().(*descriptorpb.MethodOptions)
	if !ok || opts == nil {
		return descriptorpb.MethodOptions_IDEMPOTENCY_UNKNOWN
	}
	return opts.GetIdempotencyLevel()
}

// Authorize decides whether principal p may call procedure, by the table.
// It returns rpcerr PermissionDenied, naming what is missing.
func Authorize(p auth.Principal, procedure string) error {
	rule, ok := RuleFor(procedure)
	if !ok {
		return rpcerr.PermissionDenied(procedure + " is not open to API callers")
	}
	if rule.Public {
		return nil
	}
	switch {
	case p.IsAPIKey():
		if !rule.Keys {
			return rpcerr.PermissionDenied(procedure + " needs a user session token; an API key acts only as its app")
		}
		if !HasScope(p.Scopes, rule.Scope) {
			return rpcerr.PermissionDenied(fmt.Sprintf("the API key lacks the %q scope", rule.Scope))
		}
		return nil
	case p.IsUser():
		if !rule.Users {
			return rpcerr.PermissionDenied(procedure + " needs an API key")
		}
		if !auth.RoleAtLeast(p.Role, rule.MinRole) {
			return rpcerr.PermissionDenied(fmt.Sprintf("role %q may not call %s (it needs %s or above)", p.Role, procedure, rule.MinRole))
		}
		return nil
	}
	return rpcerr.PermissionDenied("unknown caller")
}

// authorizer is the interceptor that applies Authorize to every public
// call after authentication.
type authorizer struct{}

func (authorizer) check(ctx context.Context, procedure string) error {
	if strings.HasPrefix(procedure, "/transcodely.internal.") {
		return nil // guarded by the service token instead
	}
	if rule, ok := RuleFor(procedure); ok && rule.Public {
		return nil
	}
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return err
	}
	return Authorize(p, procedure)
}

func (a authorizer) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		if err := a.check(ctx, req.Spec().Procedure); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (authorizer) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (a authorizer) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := a.check(ctx, conn.Spec().Procedure); err != nil {
			return err
		}
		return next(ctx, conn)
	}
}
