package e2e

// Accounts, API keys, user sessions, roles and tenant isolation, through
// the generated clients over both the Connect and the gRPC protocol.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/timestamppb"

	apikeyv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/apikeyv1/apikeyv1connect"
	appv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1/appv1connect"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/healthv1/healthv1connect"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	organizationv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1/organizationv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	presetv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/presetv1/presetv1connect"
	userv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1/userv1connect"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1/webhookv1connect"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/wirejson"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/internal/testenv"
)

// acctProtocol is one wire protocol the tests speak.
type acctProtocol struct {
	name string
	http connect.HTTPClient
	opts []connect.ClientOption
}

func acctProtocols() []acctProtocol {
	return []acctProtocol{
		// Connect with the public JSON wire format (lowercase enums), as
		// plain-HTTP users see it.
		{name: "connect-json", http: http.DefaultClient, opts: []connect.ClientOption{wirejson.WithCodec(wirejson.Codec{DiscardUnknown: true})}},
		{name: "grpc", http: testenv.GRPCClient(), opts: []connect.ClientOption{connect.WithGRPC()}},
	}
}

func (p acctProtocol) options(extra ...connect.ClientOption) []connect.ClientOption {
	return append(slices.Clone(p.opts), extra...)
}

// acctConstructors are the generated client constructors of every public
// service, by full service name. The table test fails if a public service
// has none, so a new service cannot go untested.
var acctConstructors = map[string]func(connect.HTTPClient, string, ...connect.ClientOption) any{
	"transcodely.v1.OrganizationService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return organizationv1connect.NewOrganizationServiceClient(h, u, o...)
	},
	"transcodely.v1.AppService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return appv1connect.NewAppServiceClient(h, u, o...)
	},
	"transcodely.v1.APIKeyService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return apikeyv1connect.NewAPIKeyServiceClient(h, u, o...)
	},
	"transcodely.v1.UserService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return userv1connect.NewUserServiceClient(h, u, o...)
	},
	"transcodely.v1.OriginService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return originv1connect.NewOriginServiceClient(h, u, o...)
	},
	"transcodely.v1.PresetService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return presetv1connect.NewPresetServiceClient(h, u, o...)
	},
	"transcodely.v1.JobService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return jobv1connect.NewJobServiceClient(h, u, o...)
	},
	"transcodely.v1.WebhookService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return webhookv1connect.NewWebhookServiceClient(h, u, o...)
	},
	"transcodely.v1.HealthService": func(h connect.HTTPClient, u string, o ...connect.ClientOption) any {
		return healthv1connect.NewHealthServiceClient(h, u, o...)
	},
}

// acctCall calls procedure ("/pkg.Service/Method") with msg through the
// service's generated client (found by reflection, so every method of the
// descriptor is reachable), and returns the response as JSON. A server
// stream returns its first message; a stream that is still open after one
// message is a success.
func acctCall(ctx context.Context, p acctProtocol, baseURL, procedure string, msg proto.Message, opts ...connect.ClientOption) (string, error) {
	service, method, _ := strings.Cut(strings.TrimPrefix(procedure, "/"), "/")
	newClient, ok := acctConstructors[service]
	if !ok {
		return "", fmt.Errorf("no generated client for %s", service)
	}
	m := reflect.ValueOf(newClient(p.http, baseURL, p.options(opts...)...)).MethodByName(method)
	if !m.IsValid() {
		return "", fmt.Errorf("generated client of %s has no method %s", service, method)
	}
	// m is func(ctx, *connect.Request[T]) (..., error): build the request
	// around msg, which has the generated type T.
	req := reflect.New(m.Type().In(1).Elem())
	req.Elem().FieldByName("Msg").Set(reflect.ValueOf(msg))
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out := m.Call([]reflect.Value{reflect.ValueOf(ctx), req})
	if err, _ := out[1].Interface().(error); err != nil {
		return "", err
	}
	res := out[0]
	if recv := res.MethodByName("Receive"); recv.IsValid() {
		defer res.MethodByName("Close").Call(nil)
		if !recv.Call(nil)[0].Bool() {
			err, _ := res.MethodByName("Err").Call(nil)[0].Interface().(error)
			return "", err
		}
		return acctJSON(res.MethodByName("Msg").Call(nil)[0].Interface().(proto.Message)), nil
	}
	return acctJSON(res.Elem().FieldByName("Msg").Interface().(proto.Message)), nil
}

func acctJSON(m proto.Message) string {
	b, err := protojson.Marshal(m)
	if err != nil {
		return fmt.Sprintf("<unmarshalable: %v>", err)
	}
	return string(b)
}

// acctTenant is the organization whose data the intruders try to reach,
// with live resources in every service, and the intruders' credentials.
type acctTenant struct {
	env *testenv.Env
	// The victim: the env's organization "acme" and its app "main".
	org, app                        string
	testKey, liveKey, liveKeyID     string
	ownerToken, ownerUser, ownerMem string
	tokens                          map[string]string // role -> session token
	revokedKey, revokedSession      string
	liveInput, liveOrigin, liveJob  string
	livePreset, livePresetSlug      string
	liveWebhook                     string
	other                           testenv.Tenant
	allVictim, liveOnly, allSecrets []string
	viewerMem, memberMem, adminMem  string
}

// acctMust unwraps a generated client's answer, failing the test on error:
// acctMust[T](t, "what")(client.Method(ctx, req)).
func acctMust[T any](t *testing.T, what string) func(*connect.Response[T], error) *T {
	return func(r *connect.Response[T], err error) *T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return r.Msg
	}
}

// newAcctTenant builds the victim organization and its intruders.
func newAcctTenant(t *testing.T) *acctTenant {
	t.Helper()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	v := &acctTenant{env: env, org: env.OrganizationID, app: env.AppID, testKey: env.APIKey, tokens: map[string]string{}}
	v.ownerUser, v.ownerMem, v.ownerToken = env.Member(t, "", "owner@example.com", auth.RoleOwner)
	v.tokens[auth.RoleOwner] = v.ownerToken
	_, v.viewerMem, v.tokens[auth.RoleViewer] = env.Member(t, "", "viewer@example.com", auth.RoleViewer)
	_, v.memberMem, v.tokens[auth.RoleMember] = env.Member(t, "", "member@example.com", auth.RoleMember)
	_, v.adminMem, v.tokens[auth.RoleAdmin] = env.Member(t, "", "admin@example.com", auth.RoleAdmin)

	owner := testenv.WithSession(v.ownerToken, v.org, "", "")
	keys := apikeyv1connect.NewAPIKeyServiceClient(http.DefaultClient, env.URL, owner)
	live := acctMust[apikeyv1.CreateAPIKeyResponse](t, "create live key")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
		Name: "victim live key", Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_LIVE, AppId: v.app,
	})))
	v.liveKey, v.liveKeyID = live.GetSecret(), live.GetApiKey().GetId()
	rk := acctMust[apikeyv1.CreateAPIKeyResponse](t, "create key to revoke")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
		Name: "soon revoked", Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST, AppId: v.app,
	})))
	v.revokedKey = rk.GetSecret()
	acctMust[apikeyv1.RevokeAPIKeyResponse](t, "revoke")(keys.Revoke(ctx, connect.NewRequest(&apikeyv1.RevokeAPIKeyRequest{Id: rk.GetApiKey().GetId()})))
	_, _, v.revokedSession = env.Member(t, "", "gone@example.com", auth.RoleAdmin)
	if _, err := env.Instance.Account.RevokeSessions(ctx, "gone@example.com"); err != nil {
		t.Fatal(err)
	}
	v.other = env.NewTenant(t, "globex", "boss@globex.example")

	// Live resources in every service, made with the live key.
	liveAuth := testenv.WithAuth(v.liveKey, v.org)
	origins := originv1connect.NewOriginServiceClient(http.DefaultClient, env.URL, liveAuth)
	bucket := env.MinIO.NewBucket(t)
	mk := func(name string, perm originv1.OriginPermission) string {
		m := env.MinIO
		r := acctMust[originv1.CreateOriginResponse](t, "create origin")(origins.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
			Name: name, Permissions: []originv1.OriginPermission{perm},
			Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
				Bucket: bucket, Region: m.Region, Endpoint: m.Endpoint,
				Credentials: &originv1.S3Credentials{AccessKeyId: m.AccessKey, SecretAccessKey: m.SecretKey},
			}},
		})))
		return r.GetOrigin().GetId()
	}
	v.liveInput = mk("victim-live-input", originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	v.liveOrigin = mk("victim-live-output", originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	presets := presetv1connect.NewPresetServiceClient(http.DefaultClient, env.URL, liveAuth)
	all := acctMust[presetv1.ListPresetsResponse](t, "list presets")(presets.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{})))
	var system string
	for _, p := range all.GetPresets() {
		if p.GetSystemPreset() {
			system = p.GetId()
			break
		}
	}
	if system == "" {
		t.Fatal("no system preset to duplicate")
	}
	v.livePresetSlug = "victim_live_preset"
	v.livePreset = acctMust[presetv1.DuplicatePresetResponse](t, "duplicate preset")(presets.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{
		Id: system, Slug: v.livePresetSlug, Name: "victim live preset",
	}))).GetPreset().GetId()
	jobs := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, liveAuth)
	v.liveJob = acctMust[jobv1.CreateJobResponse](t, "create job")(jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: v.liveInput, InputPath: "a.mp4", OutputOriginId: v.liveOrigin, Outputs: mp4(commonv1.VideoCodec_VIDEO_CODEC_H264),
		Metadata: map[string]string{"victim": "victim-metadata"},
	}))).GetJob().GetId()
	hooks := webhookv1connect.NewWebhookServiceClient(http.DefaultClient, env.URL, liveAuth)
	if r, err := hooks.Create(ctx, connect.NewRequest(&webhookv1.CreateWebhookRequest{Url: "http://127.0.0.1:9/victim-hook", Description: "victim-hook"})); err == nil {
		v.liveWebhook = r.Msg.GetWebhook().GetId()
	} else {
		t.Fatalf("create victim webhook endpoint: %v", err)
	}

	v.liveOnly = []string{v.liveKeyID, v.liveInput, v.liveOrigin, v.liveJob, v.livePreset, "victim-live-input", "victim live preset", "victim-metadata"}
	if v.liveWebhook != "" {
		v.liveOnly = append(v.liveOnly, v.liveWebhook, "victim-hook")
	}
	v.allVictim = append([]string{v.org, v.app, v.ownerUser, v.ownerMem, v.viewerMem, "owner@example.com", "viewer@example.com", "victim live key"}, v.liveOnly...)
	v.allSecrets = []string{v.testKey, v.liveKey, v.revokedKey, v.ownerToken, v.revokedSession, v.other.APIKey, v.other.OwnerToken}
	for _, tok := range v.tokens {
		v.allSecrets = append(v.allSecrets, tok)
	}
	return v
}

// victimFor returns the victim's resource a request field refers to.
func (v *acctTenant) victimFor(service string, field protoreflect.Name) string {
	name := string(field)
	switch {
	case name == "membership_id":
		return v.ownerMem
	case name == "id":
		switch service {
		case "transcodely.v1.OrganizationService":
			return v.org
		case "transcodely.v1.AppService":
			return v.app
		case "transcodely.v1.APIKeyService":
			return v.liveKeyID
		case "transcodely.v1.UserService":
			return v.ownerUser
		case "transcodely.v1.OriginService":
			return v.liveOrigin
		case "transcodely.v1.PresetService":
			return v.livePreset
		case "transcodely.v1.JobService":
			return v.liveJob
		case "transcodely.v1.WebhookService":
			if v.liveWebhook != "" {
				return v.liveWebhook
			}
			return "whe_doesnotexist"
		}
	case strings.Contains(name, "origin_id"):
		return v.liveOrigin
	case name == "job_id":
		return v.liveJob
	case name == "app_id":
		return v.app
	case name == "preset_id":
		return v.livePreset
	}
	return ""
}

// request builds a request for procedure that names the victim's
// resources wherever it names a resource, and is otherwise valid enough
// to get past validation. refersTo reports whether it names one resource
// the handler must look up (Get, Update, Archive, ...).
func (v *acctTenant) request(procedure string) (msg proto.Message, refersTo bool) {
	service, method, _ := strings.Cut(strings.TrimPrefix(procedure, "/"), "/")
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		panic(err)
	}
	md := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method))
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
	if err != nil {
		panic(err)
	}
	m := mt.New()
	fields := m.Descriptor().Fields()
	for i := range fields.Len() {
		f := fields.Get(i)
		if f.Kind() != protoreflect.StringKind || f.IsList() || f.IsMap() {
			continue
		}
		if id := v.victimFor(service, f.Name()); id != "" {
			m.Set(f, protoreflect.ValueOfString(id))
			if f.Name() == "id" || f.Name() == "membership_id" {
				refersTo = true
			}
		}
	}
	switch procedure {
	case "/transcodely.v1.PresetService/GetBySlug":
		m.Set(fields.ByName("slug"), protoreflect.ValueOfString(v.livePresetSlug))
		refersTo = true
	case "/transcodely.v1.PresetService/Duplicate":
		m.Set(fields.ByName("slug"), protoreflect.ValueOfString("intruder_copy"))
	case "/transcodely.v1.UserService/UpdateRole":
		m.Set(fields.ByName("role"), protoreflect.ValueOfEnum(protoreflect.EnumNumber(userv1.Role_ROLE_VIEWER)))
	case "/transcodely.v1.APIKeyService/Create":
		m.Set(fields.ByName("name"), protoreflect.ValueOfString("intruder key"))
		m.Set(fields.ByName("environment"), protoreflect.ValueOfEnum(protoreflect.EnumNumber(apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST)))
		m.Clear(fields.ByName("app_id"))
	}
	return m.Interface(), refersTo
}

// acctCase is one kind of caller the table tries on every procedure.
type acctCase struct {
	name string
	// opts are the caller's credentials for a procedure.
	opts func(procedure string) []connect.ClientOption
	// want returns the codes allowed for a procedure (nil: any code but an
	// authentication or authorization failure) and strings no response may
	// contain.
	want func(procedure string, rule rpcwire.Rule, refersTo bool) (codes []connect.Code, forbid []string)
}

// acctCodeName names a code, with "ok" for success.
func acctCodeName(c connect.Code) string {
	if c == acctOK {
		return "ok"
	}
	return c.String()
}

var (
	acctOK           connect.Code // 0: success
	acctAuthFailures = []connect.Code{connect.CodeUnauthenticated, connect.CodePermissionDenied}
)

func (v *acctTenant) cases() []acctCase {
	key := func(k, org string) func(string) []connect.ClientOption {
		return func(string) []connect.ClientOption { return []connect.ClientOption{testenv.WithAuth(k, org)} }
	}
	session := func(tok, org, app string) func(string) []connect.ClientOption {
		return func(string) []connect.ClientOption {
			return []connect.ClientOption{testenv.WithSession(tok, org, app, auth.EnvironmentLive)}
		}
	}
	fixed := func(code connect.Code) func(string, rpcwire.Rule, bool) ([]connect.Code, []string) {
		return func(_ string, r rpcwire.Rule, _ bool) ([]connect.Code, []string) {
			if r.Public {
				return []connect.Code{acctOK}, v.allSecrets
			}
			return []connect.Code{code}, v.allVictim
		}
	}
	// isolated: the caller may act, but not on the victim's resources.
	isolated := func(keyCaller bool, hidden func(procedure string) bool, forbid []string) func(string, rpcwire.Rule, bool) ([]connect.Code, []string) {
		return func(p string, r rpcwire.Rule, refersTo bool) ([]connect.Code, []string) {
			switch {
			case r.Public:
				return []connect.Code{acctOK}, forbid
			case keyCaller && !r.Keys, !keyCaller && !r.Users:
				return []connect.Code{connect.CodePermissionDenied}, forbid
			case refersTo && hidden(p):
				// unimplemented answers nothing, so it cannot leak; it
				// lets the table run while a service is being built.
				return []connect.Code{connect.CodeNotFound, connect.CodeUnimplemented}, forbid
			case refersTo:
				return []connect.Code{acctOK, connect.CodeUnimplemented}, forbid
			}
			return nil, forbid
		}
	}
	always := func(string) bool { return true }
	liveScoped := func(p string) bool {
		svc, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		return rpcwire.AppScoped(p) || svc == "transcodely.v1.APIKeyService"
	}
	lower := map[string]string{auth.RoleOwner: auth.RoleAdmin, auth.RoleAdmin: auth.RoleMember, auth.RoleMember: auth.RoleViewer}
	return []acctCase{
		{name: "no key", opts: key("", v.org), want: fixed(connect.CodeUnauthenticated)},
		{name: "malformed key", opts: key("nope", v.org), want: fixed(connect.CodeUnauthenticated)},
		{name: "malformed session token", opts: session(auth.SessionPrefix+"not-a-real-token", v.org, v.app), want: fixed(connect.CodeUnauthenticated)},
		{name: "revoked key", opts: key(v.revokedKey, v.org), want: fixed(connect.CodeUnauthenticated)},
		{name: "revoked session", opts: session(v.revokedSession, v.org, v.app), want: fixed(connect.CodeUnauthenticated)},
		{name: "other organization's key", opts: key(v.other.APIKey, v.org), want: fixed(connect.CodePermissionDenied)},
		{name: "other organization's owner", opts: session(v.other.OwnerToken, v.org, v.app), want: fixed(connect.CodePermissionDenied)},
		{name: "other organization's key on this one's ids", opts: key(v.other.APIKey, v.other.OrganizationID),
			want: isolated(true, always, v.allVictim)},
		{name: "other organization's owner on this one's ids", opts: session(v.other.OwnerToken, v.other.OrganizationID, v.other.AppID),
			want: isolated(false, always, v.allVictim)},
		{name: "test key on live data", opts: key(v.testKey, v.org), want: isolated(true, liveScoped, v.liveOnly)},
		{name: "member without the needed role",
			opts: func(p string) []connect.ClientOption {
				r, _ := rpcwire.RuleFor(p)
				role := lower[r.MinRole]
				if role == "" {
					role = auth.RoleViewer
				}
				return session(v.tokens[role], v.org, v.app)(p)
			},
			want: func(p string, r rpcwire.Rule, _ bool) ([]connect.Code, []string) {
				switch {
				case r.Public:
					return []connect.Code{acctOK}, nil
				case lower[r.MinRole] != "":
					return []connect.Code{connect.CodePermissionDenied}, nil
				}
				return nil, nil // a viewer may: anything but an auth failure
			}},
	}
}

// TestAccounts_EveryRPC calls every RPC of every public service, as found
// in the generated descriptors, as each kind of unwelcome caller, over
// Connect and gRPC: each gets the right code and no response carries
// another tenant's (or the other environment's) data. The victim's data is
// intact afterwards.
func TestAccounts_EveryRPC(t *testing.T) {
	t.Parallel()
	v := newAcctTenant(t)
	procs := rpcwire.PublicProcedures()
	if len(procs) < 45 {
		t.Fatalf("only %d public procedures found: %v", len(procs), procs)
	}
	for _, p := range procs {
		service, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		if _, ok := acctConstructors[service]; !ok {
			t.Fatalf("no generated client for %s: add it to acctConstructors", service)
		}
	}
	// Subtests run one after the other (here and below): a test whose
	// subtests are parallel gives up its slot while keeping its server and
	// database connections, and the e2e package has many such servers.
	calls := 0
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			for _, c := range v.cases() {
				t.Run(c.name, func(t *testing.T) {
					for _, p := range procs {
						rule, ok := rpcwire.RuleFor(p)
						if !ok {
							t.Errorf("%s has no permission rule", p)
							continue
						}
						msg, refersTo := v.request(p)
						codes, forbid := c.want(p, rule, refersTo)
						body, err := acctCall(context.Background(), proto, v.env.URL, p, msg, c.opts(p)...)
						calls++
						got := connect.CodeOf(err)
						if err == nil {
							got = acctOK
						}
						switch {
						case codes == nil && slices.Contains(acctAuthFailures, got):
							t.Errorf("%s: %s (%v), want no auth failure", p, acctCodeName(got), err)
						case codes != nil && !slices.Contains(codes, got):
							names := make([]string, len(codes))
							for i, c := range codes {
								names[i] = acctCodeName(c)
							}
							t.Errorf("%s: %s (%v), want one of %v", p, acctCodeName(got), err, names)
						}
						// No response carries an existing secret (a key's
						// secret is shown once, by the Create that made it).
						for _, s := range append(forbid, v.allSecrets...) {
							if s != "" && strings.Contains(body, s) {
								t.Errorf("%s: response carries %q: %s", p, s, body)
							}
						}
					}
				})
			}
		})
	}
	t.Logf("%d procedures x %d cases x %d protocols = %d calls", len(procs), len(v.cases()), len(acctProtocols()), calls)
	v.checkIntact(t)
}

// checkIntact verifies that no intruder changed the victim's data.
func (v *acctTenant) checkIntact(t *testing.T) {
	ctx := context.Background()
	live := testenv.WithAuth(v.liveKey, v.org)
	job, err := jobv1connect.NewJobServiceClient(http.DefaultClient, v.env.URL, live).Get(ctx, connect.NewRequest(&jobv1.GetJobRequest{Id: v.liveJob}))
	if err != nil {
		t.Errorf("the live key or job stopped working: %v", err)
	} else if job.Msg.GetJob().GetStatus() == jobv1.JobStatus_JOB_STATUS_CANCELED {
		t.Error("an intruder canceled the victim's job")
	}
	o, err := originv1connect.NewOriginServiceClient(http.DefaultClient, v.env.URL, live).Get(ctx, connect.NewRequest(&originv1.GetOriginRequest{Id: v.liveOrigin}))
	if err != nil || o.Msg.GetOrigin().GetStatus() == originv1.OriginStatus_ORIGIN_STATUS_ARCHIVED || o.Msg.GetOrigin().GetName() != "victim-live-output" {
		t.Errorf("victim origin changed: %v %v", o, err)
	}
	p, err := presetv1connect.NewPresetServiceClient(http.DefaultClient, v.env.URL, live).Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: v.livePreset}))
	if err != nil || p.Msg.GetPreset().GetArchivedAt() != nil {
		t.Errorf("victim preset changed: %v %v", p, err)
	}
	owner := testenv.WithSession(v.ownerToken, v.org, "", "")
	a, err := appv1connect.NewAppServiceClient(http.DefaultClient, v.env.URL, owner).Get(ctx, connect.NewRequest(&appv1.GetAppRequest{Id: v.app}))
	if err != nil || a.Msg.GetApp().GetStatus() != appv1.AppStatus_APP_STATUS_ACTIVE {
		t.Errorf("victim app changed: %v %v", a, err)
	}
	k, err := apikeyv1connect.NewAPIKeyServiceClient(http.DefaultClient, v.env.URL, owner).Get(ctx, connect.NewRequest(&apikeyv1.GetAPIKeyRequest{Id: v.liveKeyID}))
	if err != nil || k.Msg.GetApiKey().GetIsRevoked() {
		t.Errorf("victim key changed: %v %v", k, err)
	}
	ms, err := userv1connect.NewUserServiceClient(http.DefaultClient, v.env.URL, owner).ListMembers(ctx, connect.NewRequest(&userv1.ListMembersRequest{}))
	if err != nil {
		t.Errorf("list members: %v", err)
		return
	}
	want := map[string]userv1.Role{v.ownerMem: userv1.Role_ROLE_OWNER, v.viewerMem: userv1.Role_ROLE_VIEWER, v.memberMem: userv1.Role_ROLE_MEMBER, v.adminMem: userv1.Role_ROLE_ADMIN}
	for _, m := range ms.Msg.GetMembers() {
		if r, ok := want[m.GetId()]; ok && r != m.GetRole() {
			t.Errorf("membership %s has role %v, want %v", m.GetId(), m.GetRole(), r)
		}
		delete(want, m.GetId())
	}
	if len(want) > 0 {
		t.Errorf("memberships removed: %v", want)
	}
	org, err := organizationv1connect.NewOrganizationServiceClient(http.DefaultClient, v.env.URL, owner).Get(ctx, connect.NewRequest(&organizationv1.GetOrganizationRequest{Id: v.org}))
	if err != nil || org.Msg.GetOrganization().GetSlug() != "acme" || org.Msg.GetOrganization().GetName() != "acme" {
		t.Errorf("victim organization changed: %v %v", org, err)
	}
	acctNoSecretsLogged(t, v.env, v.allSecrets)
}

// acctNoSecretsLogged fails if any secret appears in the server's logs.
func acctNoSecretsLogged(t *testing.T, env *testenv.Env, secrets []string) {
	t.Helper()
	logs := env.Logs.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("a secret (%s…) appears in the logs", s[:min(len(s), 12)])
		}
	}
}

// TestAPIKeyService_ListPagination walks 250 keys with cursors while keys
// are created between pages: nothing is seen twice and every key that
// existed at the start is seen.
func TestAPIKeyService_ListPagination(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			// Each protocol walks its own app's keys, so the two runs do
			// not see each other's inserts.
			_, _, owner := env.Member(t, "", "owner@example.com", auth.RoleOwner)
			apps := appv1connect.NewAppServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(owner, env.OrganizationID, "", ""))...)
			app := acctMust[appv1.CreateAppResponse](t, "create app")(apps.Create(ctx, connect.NewRequest(&appv1.CreateAppRequest{Name: "paging " + proto.name}))).GetApp().GetId()
			keys := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(owner, env.OrganizationID, "", ""))...)
			create := func(name string) string {
				r := acctMust[apikeyv1.CreateAPIKeyResponse](t, "create key")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
					Name: name, AppId: app, Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST,
				})))
				return r.GetApiKey().GetId()
			}
			// The app's own listing needs a key of the app: keys list
			// their own app and environment.
			first := acctMust[apikeyv1.CreateAPIKeyResponse](t, "create key")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
				Name: "lister", AppId: app, Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST,
			})))
			initial := map[string]bool{first.GetApiKey().GetId(): true}
			for i := range 249 {
				initial[create("k"+strconv.Itoa(i))] = true
			}
			lister := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(first.GetSecret(), env.OrganizationID))...)
			seen := map[string]bool{}
			added := 0
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 50 {
					t.Fatal("too many pages")
				}
				resp := acctMust[apikeyv1.ListAPIKeysResponse](t, "list")(lister.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{
					Pagination: &commonv1.PaginationRequest{Limit: 17, Cursor: cursor},
				})))
				if pages == 0 && resp.GetPagination().GetTotalCount() != 250 {
					t.Errorf("total_count = %d, want 250", resp.GetPagination().GetTotalCount())
				}
				if len(resp.GetApiKeys()) > 17 {
					t.Fatalf("page of %d > limit", len(resp.GetApiKeys()))
				}
				for _, k := range resp.GetApiKeys() {
					if seen[k.GetId()] {
						t.Fatalf("key %s seen twice", k.GetId())
					}
					seen[k.GetId()] = true
				}
				// New keys between pages: newer than the cursor, so
				// they are not part of this walk, and must not shift it.
				create("late" + strconv.Itoa(pages))
				create("later" + strconv.Itoa(pages))
				added += 2
				cursor = resp.GetPagination().GetNextCursor()
				if cursor == "" {
					break
				}
			}
			for k := range initial {
				if !seen[k] {
					t.Errorf("key %s was skipped", k)
				}
			}
			// Offset pagination and the limit bounds.
			resp := acctMust[apikeyv1.ListAPIKeysResponse](t, "list")(lister.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{Pagination: &commonv1.PaginationRequest{Offset: 240}})))
			if total := int(resp.GetPagination().GetTotalCount()); total != 250+added || len(resp.GetApiKeys()) != 20 {
				t.Errorf("offset page: %d keys of %d, want 20 of %d", len(resp.GetApiKeys()), total, 250+added)
			}
			if _, err := lister.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{Pagination: &commonv1.PaginationRequest{Limit: 101}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("limit 101: %v, want invalid_argument", err)
			}
			if _, err := lister.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{Pagination: &commonv1.PaginationRequest{Cursor: "garbage"}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("bad cursor: %v, want invalid_argument", err)
			}
			acctNoSecretsLogged(t, env, []string{first.GetSecret(), owner})
		})
	}
}

// TestAPIKeyService_SecretShownOnce: the secret is in Create's response
// and nowhere else, keys are stored and shown without it, and environments
// do not see each other's keys.
func TestAPIKeyService_SecretShownOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	_, _, owner := env.Member(t, "", "owner@example.com", auth.RoleOwner)
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			keys := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(owner, env.OrganizationID, "", ""))...)
			exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
			created := acctMust[apikeyv1.CreateAPIKeyResponse](t, "create")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{
				Name: "ci " + proto.name, Description: "for CI", AppId: env.AppID, Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_LIVE,
				Scopes: []string{"jobs:write", "jobs:write", "origins:read"}, ExpiresAt: timestamppb.New(exp),
			})))
			secret, k := created.GetSecret(), created.GetApiKey()
			if !strings.HasPrefix(secret, auth.LivePrefix) || len(secret) < len(auth.LivePrefix)+32 {
				t.Fatalf("secret %q is not ak_live_ + 32+ characters", secret[:10])
			}
			if k.GetKeyPrefix() != auth.LivePrefix || k.GetKeyHint() != secret[len(secret)-4:] || k.GetEnvironment() != apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_LIVE ||
				!slices.Equal(k.GetScopes(), []string{"jobs:write", "origins:read"}) || !k.GetExpiresAt().AsTime().Equal(exp) || k.GetIsRevoked() ||
				k.GetAppId() != env.AppID || k.GetName() != "ci "+proto.name || k.GetDescription() != "for CI" || !strings.HasPrefix(k.GetId(), "ak_") {
				t.Fatalf("created key = %v", k)
			}
			got := acctMust[apikeyv1.GetAPIKeyResponse](t, "get")(keys.Get(ctx, connect.NewRequest(&apikeyv1.GetAPIKeyRequest{Id: k.GetId()})))
			list := acctMust[apikeyv1.ListAPIKeysResponse](t, "list")(keys.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{})))
			// The key works, within its scopes.
			jobs := jobv1connect.NewJobServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(secret, env.OrganizationID))...)
			if _, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); err != nil {
				t.Fatalf("jobs:write includes jobs:read: %v", err)
			}
			presets := presetv1connect.NewPresetServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(secret, env.OrganizationID))...)
			if _, err := presets.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("presets without the scope: %v, want permission_denied", err)
			}
			own := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(secret, env.OrganizationID))...)
			if _, err := own.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("api_keys without the scope: %v, want permission_denied", err)
			}
			// A test key sees only test keys; the live key is not there.
			testKeys := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(env.Auth())...)
			tl := acctMust[apikeyv1.ListAPIKeysResponse](t, "list as test key")(testKeys.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{})))
			for _, x := range tl.GetApiKeys() {
				if x.GetEnvironment() != apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST {
					t.Fatalf("test key lists a %v key", x.GetEnvironment())
				}
			}
			if _, err := testKeys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{Name: "escalate", Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_LIVE})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("test key minting a live key: %v, want permission_denied", err)
			}
			if _, err := keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{Name: "x", AppId: env.AppID, Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST, Scopes: []string{"jobs:delete"}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("unknown scope: %v, want invalid_argument", err)
			}
			if _, err := keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{Name: "x", Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("user without app_id: %v, want invalid_argument", err)
			}
			for _, body := range []string{acctJSON(got), acctJSON(list), acctJSON(tl)} {
				if strings.Contains(body, secret) || strings.Contains(body, secret[len(auth.LivePrefix):]) {
					t.Fatalf("secret in a response other than Create's: %s", body)
				}
			}
			// Revocation is immediate in this process and idempotent.
			r1 := acctMust[apikeyv1.RevokeAPIKeyResponse](t, "revoke")(keys.Revoke(ctx, connect.NewRequest(&apikeyv1.RevokeAPIKeyRequest{Id: k.GetId()})))
			r2 := acctMust[apikeyv1.RevokeAPIKeyResponse](t, "revoke again")(keys.Revoke(ctx, connect.NewRequest(&apikeyv1.RevokeAPIKeyRequest{Id: k.GetId()})))
			if !r1.GetApiKey().GetIsRevoked() || !r1.GetApiKey().GetRevokedAt().AsTime().Equal(r2.GetApiKey().GetRevokedAt().AsTime()) {
				t.Fatalf("revoke = %v then %v", r1.GetApiKey(), r2.GetApiKey())
			}
			acctEventually(t, rpcwire.VerifyCacheTTL+time.Second, func() error {
				_, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{}))
				if connect.CodeOf(err) != connect.CodeUnauthenticated {
					return fmt.Errorf("revoked key: %v", err)
				}
				if !strings.Contains(err.Error(), auth.MsgInvalidCredentials) {
					return fmt.Errorf("revoked key message %q is not the generic one", err)
				}
				return nil
			})
			rev := acctMust[apikeyv1.ListAPIKeysResponse](t, "list")(keys.List(ctx, connect.NewRequest(&apikeyv1.ListAPIKeysRequest{IncludeRevoked: true})))
			if !slices.ContainsFunc(rev.GetApiKeys(), func(x *apikeyv1.APIKey) bool { return x.GetId() == k.GetId() }) {
				t.Fatal("include_revoked does not list the revoked key")
			}
			acctNoSecretsLogged(t, env, []string{secret, owner})
		})
	}
}

func acctEventually(t *testing.T, within time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestOrganizationService covers slugs, creation (the creator is the
// owner), reads scoped to members, owner-only updates and suspension.
func TestOrganizationService(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	newUser := func(email string) string {
		_, _, tok := env.Member(t, "", email, auth.RoleViewer)
		return tok
	}
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			tok := newUser("founder-" + proto.name + "@example.com")
			orgs := organizationv1connect.NewOrganizationServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(tok, "", "", ""))...)
			slug := "initech-" + proto.name
			for s, want := range map[string]bool{slug: true, "acme": false, "ab": false, "Bad_Slug": false} {
				r := acctMust[organizationv1.CheckSlugResponse](t, "check slug")(orgs.CheckSlug(ctx, connect.NewRequest(&organizationv1.CheckSlugRequest{Slug: s})))
				if r.GetAvailable() != want || (!want && r.GetReason() == "") || r.GetSlug() != s {
					t.Errorf("CheckSlug(%q) = %v", s, r)
				}
			}
			created := acctMust[organizationv1.CreateOrganizationResponse](t, "create")(orgs.Create(ctx, connect.NewRequest(&organizationv1.CreateOrganizationRequest{
				Slug: slug, Name: "Initech", BillingEmail: "billing@initech.example",
			}))).GetOrganization()
			if !strings.HasPrefix(created.GetId(), "org_") || created.GetStatus() != organizationv1.OrganizationStatus_ORGANIZATION_STATUS_ACTIVE ||
				created.GetBillingEmail() != "billing@initech.example" || created.GetCreatedAt() == nil || created.GetUpdatedAt() == nil {
				t.Fatalf("created = %v", created)
			}
			if _, err := orgs.Create(ctx, connect.NewRequest(&organizationv1.CreateOrganizationRequest{Slug: slug, Name: "Again", BillingEmail: "x@example.com"})); connect.CodeOf(err) != connect.CodeAlreadyExists {
				t.Fatalf("duplicate slug: %v, want already_exists", err)
			}
			if _, err := orgs.Create(ctx, connect.NewRequest(&organizationv1.CreateOrganizationRequest{Slug: "no--double", Name: "x", BillingEmail: "x@example.com"})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("bad slug: %v, want invalid_argument", err)
			}
			users := userv1connect.NewUserServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(tok, "", "", ""))...)
			me := acctMust[userv1.GetMeResponse](t, "get me")(users.GetMe(ctx, connect.NewRequest(&userv1.GetMeRequest{})))
			var role userv1.Role
			for _, m := range me.GetMemberships() {
				if m.GetOrganizationId() == created.GetId() {
					role = m.GetRole()
				}
			}
			if role != userv1.Role_ROLE_OWNER || len(me.GetMemberships()) != 2 {
				t.Fatalf("the creator is not the owner: %v", me.GetMemberships())
			}
			list := acctMust[organizationv1.ListOrganizationsResponse](t, "list")(orgs.List(ctx, connect.NewRequest(&organizationv1.ListOrganizationsRequest{})))
			if len(list.GetOrganizations()) != 2 || list.GetPagination().GetTotalCount() != 2 || list.GetOrganizations()[0].GetId() != created.GetId() {
				t.Fatalf("list = %v", list)
			}
			in := organizationv1connect.NewOrganizationServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(tok, created.GetId(), "", ""))...)
			name := "Initech Inc"
			up := acctMust[organizationv1.UpdateOrganizationResponse](t, "update")(in.Update(ctx, connect.NewRequest(&organizationv1.UpdateOrganizationRequest{Id: created.GetId(), Name: &name})))
			if up.GetOrganization().GetName() != name || up.GetOrganization().GetBillingEmail() != "billing@initech.example" {
				t.Fatalf("update = %v", up)
			}
			// Another organization's id is not found, even for a member of
			// both, unless it is the one the call is scoped to.
			if _, err := in.Get(ctx, connect.NewRequest(&organizationv1.GetOrganizationRequest{Id: env.OrganizationID})); connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("get another organization: %v", err)
			}
			// A viewer of acme may not update it; its owner may.
			viewer := organizationv1connect.NewOrganizationServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(tok, env.OrganizationID, "", ""))...)
			if _, err := viewer.Update(ctx, connect.NewRequest(&organizationv1.UpdateOrganizationRequest{Id: env.OrganizationID, Name: &name})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("viewer update: %v", err)
			}
			// An API key can create no organization: it is not a person.
			byKey := organizationv1connect.NewOrganizationServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(env.APIKey, ""))...)
			if _, err := byKey.Create(ctx, connect.NewRequest(&organizationv1.CreateOrganizationRequest{Slug: "keyorg-" + proto.name, Name: "k", BillingEmail: "k@example.com"})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("create by key: %v", err)
			}
			kl := acctMust[organizationv1.ListOrganizationsResponse](t, "list by key")(byKey.List(ctx, connect.NewRequest(&organizationv1.ListOrganizationsRequest{})))
			if len(kl.GetOrganizations()) != 1 || kl.GetOrganizations()[0].GetId() != env.OrganizationID {
				t.Fatalf("a key lists %v", kl.GetOrganizations())
			}
			acctNoSecretsLogged(t, env, []string{tok})
		})
	}
}

// TestOrganizationService_Suspended: a suspended organization's keys and
// sessions get permission_denied, until it is reinstated.
func TestOrganizationService_Suspended(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	_, _, owner := env.Member(t, "", "owner@example.com", auth.RoleOwner)
	jobs := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, env.Auth())
	apps := appv1connect.NewAppServiceClient(testenv.GRPCClient(), env.URL, connect.WithGRPC(), testenv.WithSession(owner, env.OrganizationID, "", ""))
	me := userv1connect.NewUserServiceClient(http.DefaultClient, env.URL, testenv.WithSession(owner, "", "", ""))
	if _, err := env.Instance.Account.SetOrganizationStatus(ctx, "acme", "suspended"); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("key of a suspended organization: %v", err)
	}
	if _, err := apps.List(ctx, connect.NewRequest(&appv1.ListAppsRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("session in a suspended organization: %v", err)
	}
	// The user still exists outside it.
	if _, err := me.GetMe(ctx, connect.NewRequest(&userv1.GetMeRequest{})); err != nil {
		t.Fatalf("GetMe: %v", err)
	}
	if _, err := env.Instance.Account.SetOrganizationStatus(ctx, env.OrganizationID, "active"); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); err != nil {
		t.Fatalf("reinstated: %v", err)
	}
}

// TestAppService covers apps: creation by admins, webhook rules, keys see
// only their app, and archiving revokes the app's keys.
func TestAppService(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	_, _, admin := env.Member(t, "", "admin@example.com", auth.RoleAdmin)
	_, _, member := env.Member(t, "", "member@example.com", auth.RoleMember)
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			apps := appv1connect.NewAppServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(admin, env.OrganizationID, "", ""))...)
			if _, err := appv1connect.NewAppServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(member, env.OrganizationID, "", ""))...).
				Create(ctx, connect.NewRequest(&appv1.CreateAppRequest{Name: "nope"})); connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Fatalf("member creating an app: %v", err)
			}
			if _, err := apps.Create(ctx, connect.NewRequest(&appv1.CreateAppRequest{Name: "x", Webhook: &appv1.AppWebhookInput{Url: "http://example.com/h"}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("http webhook: %v", err)
			}
			if _, err := apps.Create(ctx, connect.NewRequest(&appv1.CreateAppRequest{Name: "x", Webhook: &appv1.AppWebhookInput{Url: "https://example.com/h", Events: []string{"job.exploded"}}})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("unknown event: %v", err)
			}
			a := acctMust[appv1.CreateAppResponse](t, "create")(apps.Create(ctx, connect.NewRequest(&appv1.CreateAppRequest{
				Name: "site " + proto.name, Description: "the website", Webhook: &appv1.AppWebhookInput{Url: "https://example.com/h", Secret: "whsec_app_secret_" + proto.name},
			}))).GetApp()
			if !strings.HasPrefix(a.GetId(), "app_") || a.GetOrganizationId() != env.OrganizationID || a.GetStatus() != appv1.AppStatus_APP_STATUS_ACTIVE ||
				!a.GetWebhook().GetHasSecret() || !slices.Equal(a.GetWebhook().GetEvents(), []string{"job.completed", "job.failed"}) || a.GetArchivedAt() != nil {
				t.Fatalf("created app = %v", a)
			}
			if strings.Contains(acctJSON(a), "whsec_app_secret") {
				t.Fatal("the app webhook secret is returned")
			}
			desc := "renamed"
			up := acctMust[appv1.UpdateAppResponse](t, "update")(apps.Update(ctx, connect.NewRequest(&appv1.UpdateAppRequest{Id: a.GetId(), Description: &desc,
				Webhook: &appv1.AppWebhookInput{Url: "https://example.com/h2", Events: []string{"*"}}}))).GetApp()
			if up.GetDescription() != desc || up.GetName() != a.GetName() || up.GetWebhook().GetUrl() != "https://example.com/h2" || !up.GetWebhook().GetHasSecret() {
				t.Fatalf("updated app = %v", up)
			}
			keys := apikeyv1connect.NewAPIKeyServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(admin, env.OrganizationID, "", ""))...)
			k := acctMust[apikeyv1.CreateAPIKeyResponse](t, "key")(keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{Name: "k", AppId: a.GetId(), Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST})))
			asKey := appv1connect.NewAppServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(k.GetSecret(), env.OrganizationID))...)
			kl := acctMust[appv1.ListAppsResponse](t, "list as key")(asKey.List(ctx, connect.NewRequest(&appv1.ListAppsRequest{})))
			if len(kl.GetApps()) != 1 || kl.GetApps()[0].GetId() != a.GetId() || kl.GetPagination().GetTotalCount() != 1 {
				t.Fatalf("a key lists apps %v", kl.GetApps())
			}
			if _, err := asKey.Get(ctx, connect.NewRequest(&appv1.GetAppRequest{Id: env.AppID})); connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("key reading another app: %v", err)
			}
			jobs := jobv1connect.NewJobServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(k.GetSecret(), env.OrganizationID))...)
			if _, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); err != nil {
				t.Fatal(err)
			}
			arch := acctMust[appv1.ArchiveAppResponse](t, "archive")(apps.Archive(ctx, connect.NewRequest(&appv1.ArchiveAppRequest{Id: a.GetId()}))).GetApp()
			if arch.GetStatus() != appv1.AppStatus_APP_STATUS_ARCHIVED || arch.GetArchivedAt() == nil {
				t.Fatalf("archived = %v", arch)
			}
			again := acctMust[appv1.ArchiveAppResponse](t, "archive again")(apps.Archive(ctx, connect.NewRequest(&appv1.ArchiveAppRequest{Id: a.GetId()}))).GetApp()
			if !again.GetArchivedAt().AsTime().Equal(arch.GetArchivedAt().AsTime()) {
				t.Fatal("archiving twice moved archived_at")
			}
			acctEventually(t, rpcwire.VerifyCacheTTL+time.Second, func() error {
				if _, err := jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); connect.CodeOf(err) != connect.CodeUnauthenticated {
					return fmt.Errorf("key of an archived app: %v", err)
				}
				return nil
			})
			kg := acctMust[apikeyv1.GetAPIKeyResponse](t, "get key")(keys.Get(ctx, connect.NewRequest(&apikeyv1.GetAPIKeyRequest{Id: k.GetApiKey().GetId()})))
			if !kg.GetApiKey().GetIsRevoked() {
				t.Fatal("archiving did not revoke the app's key")
			}
			if _, err := apps.Update(ctx, connect.NewRequest(&appv1.UpdateAppRequest{Id: a.GetId(), Description: &desc})); connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Fatalf("updating an archived app: %v", err)
			}
			if _, err := keys.Create(ctx, connect.NewRequest(&apikeyv1.CreateAPIKeyRequest{Name: "k", AppId: a.GetId(), Environment: apikeyv1.APIKeyEnvironment_API_KEY_ENVIRONMENT_TEST})); connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Fatalf("key for an archived app: %v", err)
			}
			list := acctMust[appv1.ListAppsResponse](t, "list")(apps.List(ctx, connect.NewRequest(&appv1.ListAppsRequest{})))
			for _, x := range list.GetApps() {
				if x.GetId() == a.GetId() {
					t.Fatal("archived app listed without include_archived")
				}
			}
			all := acctMust[appv1.ListAppsResponse](t, "list")(apps.List(ctx, connect.NewRequest(&appv1.ListAppsRequest{IncludeArchived: true})))
			if !slices.ContainsFunc(all.GetApps(), func(x *appv1.App) bool { return x.GetId() == a.GetId() }) {
				t.Fatalf("include_archived lists %v", all.GetApps())
			}
			acctNoSecretsLogged(t, env, []string{k.GetSecret(), admin, "whsec_app_secret_" + proto.name})
		})
	}
}

// TestUserService_Roles covers members and roles: admins manage non-owners,
// only owners touch owners, the last owner stays, removed members lose
// access, and sessions need X-App-ID on app-scoped services.
func TestUserService_Roles(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1})
	ctx := context.Background()
	ownerID, ownerMem, owner := env.Member(t, "", "owner@example.com", auth.RoleOwner)
	_, adminMem, admin := env.Member(t, "", "admin@example.com", auth.RoleAdmin)
	bobID, bobMem, bob := env.Member(t, "", "bob@example.com", auth.RoleViewer)
	usersFor := func(proto acctProtocol, tok, org string) userv1connect.UserServiceClient {
		return userv1connect.NewUserServiceClient(proto.http, env.URL, proto.options(testenv.WithSession(tok, org, "", ""))...)
	}
	for _, proto := range acctProtocols() {
		users := func(tok, org string) userv1connect.UserServiceClient { return usersFor(proto, tok, org) }
		asOwner, asAdmin, asBob := users(owner, env.OrganizationID), users(admin, env.OrganizationID), users(bob, env.OrganizationID)
		role := func(c userv1connect.UserServiceClient, mem string, r userv1.Role) error {
			_, err := c.UpdateRole(ctx, connect.NewRequest(&userv1.UpdateRoleRequest{MembershipId: mem, Role: r}))
			return err
		}
		check := func(what string, err error, want connect.Code) {
			t.Helper()
			if (want == acctOK && err != nil) || (want != acctOK && connect.CodeOf(err) != want) {
				t.Fatalf("%s (%s): %v, want %v", what, proto.name, err, want)
			}
		}
		check("viewer changing a role", role(asBob, bobMem, userv1.Role_ROLE_ADMIN), connect.CodePermissionDenied)
		check("admin promoting a member", role(asAdmin, bobMem, userv1.Role_ROLE_MEMBER), 0)
		check("admin making an owner", role(asAdmin, bobMem, userv1.Role_ROLE_OWNER), connect.CodePermissionDenied)
		check("admin demoting the owner", role(asAdmin, ownerMem, userv1.Role_ROLE_ADMIN), connect.CodePermissionDenied)
		check("owner demoting the last owner", role(asOwner, ownerMem, userv1.Role_ROLE_ADMIN), connect.CodeFailedPrecondition)
		_, err := asOwner.RemoveMember(ctx, connect.NewRequest(&userv1.RemoveMemberRequest{MembershipId: ownerMem}))
		check("owner removing the last owner", err, connect.CodeFailedPrecondition)
		check("owner making a second owner", role(asOwner, adminMem, userv1.Role_ROLE_OWNER), 0)
		check("an owner demoting another owner", role(asAdmin, ownerMem, userv1.Role_ROLE_ADMIN), 0)
		check("the demoted owner touching an owner", role(asOwner, adminMem, userv1.Role_ROLE_ADMIN), connect.CodePermissionDenied)
		check("restore the first owner", role(asAdmin, ownerMem, userv1.Role_ROLE_OWNER), 0)
		check("restore the admin", role(asOwner, adminMem, userv1.Role_ROLE_ADMIN), 0)
		check("unknown membership", role(asOwner, "mem_doesnotexist", userv1.Role_ROLE_VIEWER), connect.CodeNotFound)
		check("restore bob", role(asOwner, bobMem, userv1.Role_ROLE_VIEWER), 0)

		members := acctMust[userv1.ListMembersResponse](t, "members")(asBob.ListMembers(ctx, connect.NewRequest(&userv1.ListMembersRequest{})))
		if int(members.GetPagination().GetTotalCount()) != len(members.GetMembers()) || len(members.GetMembers()) < 3 {
			t.Fatalf("members = %v", members)
		}
		for _, m := range members.GetMembers() {
			if m.GetUser().GetEmail() == "" || m.GetOrganizationId() != env.OrganizationID || !strings.HasPrefix(m.GetId(), "mem_") {
				t.Fatalf("member = %v", m)
			}
		}
		ul := acctMust[userv1.ListUsersResponse](t, "users")(asBob.List(ctx, connect.NewRequest(&userv1.ListUsersRequest{Pagination: &commonv1.PaginationRequest{Limit: 1}})))
		if len(ul.GetUsers()) != 1 || ul.GetPagination().GetNextCursor() == "" {
			t.Fatalf("users page = %v", ul)
		}
		u := acctMust[userv1.GetUserResponse](t, "get user")(asBob.Get(ctx, connect.NewRequest(&userv1.GetUserRequest{Id: ownerID})))
		if u.GetUser().GetEmail() != "owner@example.com" {
			t.Fatalf("user = %v", u)
		}
		name := "Bob " + proto.name
		me := acctMust[userv1.UpdateMeResponse](t, "update me")(users(bob, "").UpdateMe(ctx, connect.NewRequest(&userv1.UpdateMeRequest{Name: &name})))
		if me.GetUser().GetName() != name || me.GetUser().GetId() != bobID {
			t.Fatalf("update me = %v", me)
		}
	}

	users := func(tok, org string) userv1connect.UserServiceClient { return usersFor(acctProtocols()[0], tok, org) }

	// Sessions on app-scoped services name the app and environment.
	jobsNoApp := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, testenv.WithSession(bob, env.OrganizationID, "", ""))
	if _, err := jobsNoApp.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("session without X-App-ID: %v", err)
	}
	other := env.NewTenant(t, "globex", "boss@globex.example")
	jobsOtherApp := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, testenv.WithSession(bob, env.OrganizationID, other.AppID, ""))
	if _, err := jobsOtherApp.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("session in another organization's app: %v", err)
	}
	if _, err := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, testenv.WithSession(bob, env.OrganizationID, env.AppID, "staging")).
		List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("unknown environment: %v", err)
	}
	// A job made by the test key is seen by a session in the test
	// environment, not in live.
	_, _, memberTok := env.Member(t, "", "member@example.com", auth.RoleMember)
	presetsTest := presetv1connect.NewPresetServiceClient(http.DefaultClient, env.URL, testenv.WithSession(memberTok, env.OrganizationID, env.AppID, auth.EnvironmentTest))
	presetsLive := presetv1connect.NewPresetServiceClient(http.DefaultClient, env.URL, testenv.WithSession(memberTok, env.OrganizationID, env.AppID, auth.EnvironmentLive))
	byKey := presetv1connect.NewPresetServiceClient(http.DefaultClient, env.URL, env.Auth())
	all := acctMust[presetv1.ListPresetsResponse](t, "list presets")(byKey.List(ctx, connect.NewRequest(&presetv1.ListPresetsRequest{})))
	dup := acctMust[presetv1.DuplicatePresetResponse](t, "duplicate")(byKey.Duplicate(ctx, connect.NewRequest(&presetv1.DuplicatePresetRequest{Id: all.GetPresets()[0].GetId(), Slug: "made_by_test_key"})))
	if _, err := presetsTest.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: dup.GetPreset().GetId()})); err != nil {
		t.Fatalf("test-environment session reading a test preset: %v", err)
	}
	if _, err := presetsLive.Get(ctx, connect.NewRequest(&presetv1.GetPresetRequest{Id: dup.GetPreset().GetId()})); connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("live session reading a test preset: %v", err)
	}

	// Removing a member ends their access to the organization.
	if _, err := users(admin, env.OrganizationID).RemoveMember(ctx, connect.NewRequest(&userv1.RemoveMemberRequest{MembershipId: bobMem})); err != nil {
		t.Fatal(err)
	}
	acctEventually(t, rpcwire.VerifyCacheTTL+time.Second, func() error {
		_, err := users(bob, env.OrganizationID).ListMembers(ctx, connect.NewRequest(&userv1.ListMembersRequest{}))
		if connect.CodeOf(err) != connect.CodePermissionDenied {
			return fmt.Errorf("removed member: %v", err)
		}
		return nil
	})
	if _, err := users(bob, "").GetMe(ctx, connect.NewRequest(&userv1.GetMeRequest{})); err != nil {
		t.Fatalf("removed member's GetMe: %v", err)
	}
	// API keys are not people.
	if _, err := userv1connect.NewUserServiceClient(http.DefaultClient, env.URL, env.Auth()).GetMe(ctx, connect.NewRequest(&userv1.GetMeRequest{})); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Fatalf("GetMe with a key: %v", err)
	}
	acctNoSecretsLogged(t, env, []string{owner, admin, bob, memberTok, other.APIKey, other.OwnerToken})
}

// TestRateLimit: each organization has its own token bucket; running dry
// is resource_exhausted with a Retry-After, and JobService/Create has a
// stricter bucket of its own.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	env := testenv.Start(t, testenv.Options{Encoders: -1, RateLimit: rpcwire.RateLimit{RPS: 0.5, Burst: 5, JobCreateRPS: 0.2, JobCreateBurst: 1}})
	ctx := context.Background()
	other := env.NewTenant(t, "globex", "boss@globex.example")
	for _, proto := range acctProtocols() {
		t.Run(proto.name, func(t *testing.T) {
			// Each protocol uses its own organization so the buckets are
			// independent.
			tenant := env.NewTenant(t, "rl-"+proto.name, proto.name+"@rl.example")
			jobs := jobv1connect.NewJobServiceClient(proto.http, env.URL, proto.options(testenv.WithAuth(tenant.APIKey, tenant.OrganizationID))...)
			// The stricter bucket: one job create, then the next is refused
			// (the request is invalid, but the limit comes first).
			if _, err := jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{})); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("first create: %v", err)
			}
			_, err := jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{}))
			acctCheckExhausted(t, err)
			var last error
			for range 10 {
				if _, last = jobs.List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); last != nil {
					break
				}
			}
			acctCheckExhausted(t, last)
		})
	}
	// Another organization is unaffected.
	if _, err := jobv1connect.NewJobServiceClient(http.DefaultClient, env.URL, testenv.WithAuth(other.APIKey, other.OrganizationID)).
		List(ctx, connect.NewRequest(&jobv1.ListJobsRequest{})); err != nil {
		t.Fatalf("another organization: %v", err)
	}
}

func acctCheckExhausted(t *testing.T, err error) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeResourceExhausted {
		t.Fatalf("err = %v, want resource_exhausted", err)
	}
	secs, perr := strconv.Atoi(ce.Meta().Get("Retry-After"))
	if perr != nil || secs < 1 || secs > 10 {
		t.Fatalf("Retry-After = %q", ce.Meta().Get("Retry-After"))
	}
}
