// Package handler translates OriginService and the internal
// CredentialService between protobuf and the origin domain: it validates
// what protovalidate cannot express, seals credentials, and asks the access
// checker to prove them.
package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/pathtemplate"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/origin/internal/access"
	"github.com/transcodely/transcodely/services/origin/internal/store"
	"github.com/transcodely/transcodely/services/origin/internal/store/dbgen"
)

// Origins serves transcodely.v1.OriginService and
// transcodely.internal.v1.CredentialService.
type Origins struct {
	Store *store.Store
	Ring  *keyring.Ring
	// Checker proves credentials against the store (*access.Checker);
	// tests of the request rules substitute one that connects nowhere.
	Checker Checker
	// Policy refuses endpoints at request time; the checker's own policy
	// refuses them again at connect time.
	Policy netguard.Policy
}

// Checker proves an origin's permissions on its store.
type Checker interface {
	Check(ctx context.Context, t access.Target, read, write bool) access.Result
}

// draft is a validated Create request.
type draft struct {
	provider    string
	settings    access.Settings
	creds       access.Credentials
	read, write bool
}

func permissionsOf(ps []originv1.OriginPermission) (read, write bool) {
	for _, p := range ps {
		read = read || p == originv1.OriginPermission_ORIGIN_PERMISSION_READ
		write = write || p == originv1.OriginPermission_ORIGIN_PERMISSION_WRITE
	}
	return read, write
}

// checkEndpoint refuses endpoints that are not plain http(s) URLs or that
// point at addresses the outbound policy forbids. User info is refused
// because the URL is returned by Get and List, and credentials never are.
func (h *Origins) checkEndpoint(ctx context.Context, field, raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return rpcerr.InvalidField(field, "must be an http:// or https:// URL")
	case u.User != nil:
		return rpcerr.InvalidField(field, "must not contain a user name or password; pass credentials in their own fields")
	}
	// CheckURL's messages are written for users and never echo the URL.
	if err := h.Policy.CheckURL(ctx, raw, "http", "https"); err != nil {
		return rpcerr.InvalidField(field, err.Error())
	}
	return nil
}

// accountIDPattern is a Cloudflare account id: it becomes the first label of
// the R2 host name, so nothing else may get in (no dots, @, / or :).
var accountIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// checkHeaders refuses header names and values net/http cannot send, so a
// bad header is a field error at Create rather than a failed check.
func checkHeaders(field string, headers map[string]string) error {
	for k, v := range headers {
		if k == "" || strings.IndexFunc(k, func(r rune) bool { return !isTokenRune(r) }) >= 0 {
			return rpcerr.InvalidField(field, fmt.Sprintf("header name %q is not a valid HTTP token", k))
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return rpcerr.InvalidField(field, fmt.Sprintf("the value of header %s contains a line break or NUL", k))
		}
		switch http.CanonicalHeaderKey(k) {
		case "Host", "Content-Length", "Transfer-Encoding", "Connection":
			return rpcerr.InvalidField(field, fmt.Sprintf("header %s is set by the HTTP client and cannot be configured", k))
		}
	}
	return nil
}

// headerNames are the sorted names of headers.
func headerNames(headers map[string]string) []string {
	names := slices.Collect(maps.Keys(headers))
	slices.Sort(names)
	return names
}

// isTokenRune reports whether r may appear in an HTTP header name (RFC 9110
// tchar).
func isTokenRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

func (h *Origins) draftOf(ctx context.Context, req *originv1.CreateOriginRequest) (draft, error) {
	var d draft
	d.read, d.write = permissionsOf(req.GetPermissions())
	var violations []rpcerr.Violation
	if err := pathtemplate.CheckPath(req.GetBasePath()); err != nil {
		violations = append(violations, rpcerr.Violation{Field: "base_path", Description: err.Error()})
	}
	if err := pathtemplate.CheckTemplate(req.GetPathTemplate()); err != nil {
		violations = append(violations, rpcerr.Violation{Field: "path_template", Description: err.Error()})
	}
	switch p := req.GetProvider().(type) {
	case *originv1.CreateOriginRequest_S3:
		d.provider = "s3"
		d.settings = access.Settings{Bucket: p.S3.GetBucket(), Region: p.S3.GetRegion(), Endpoint: p.S3.GetEndpoint()}
		d.creds = access.Credentials{AccessKeyID: p.S3.GetCredentials().GetAccessKeyId(), SecretAccessKey: p.S3.GetCredentials().GetSecretAccessKey()}
		if d.settings.Endpoint != "" {
			if err := h.checkEndpoint(ctx, "s3.endpoint", d.settings.Endpoint); err != nil {
				return d, err
			}
		}
	case *originv1.CreateOriginRequest_R2:
		d.provider = "r2"
		d.settings = access.Settings{Bucket: p.R2.GetBucket(), AccountID: p.R2.GetAccountId(), Endpoint: p.R2.GetEndpoint()}
		d.creds = access.Credentials{AccessKeyID: p.R2.GetCredentials().GetAccessKeyId(), SecretAccessKey: p.R2.GetCredentials().GetSecretAccessKey()}
		switch {
		case d.settings.AccountID == "" && d.settings.Endpoint == "":
			violations = append(violations, rpcerr.Violation{Field: "r2.account_id", Description: "account_id or endpoint is required"})
		case d.settings.AccountID != "" && !accountIDPattern.MatchString(d.settings.AccountID):
			violations = append(violations, rpcerr.Violation{Field: "r2.account_id", Description: "must be a Cloudflare account id (letters, digits and dashes)"})
		}
		if d.settings.Endpoint != "" {
			if err := h.checkEndpoint(ctx, "r2.endpoint", d.settings.Endpoint); err != nil {
				return d, err
			}
		}
	case *originv1.CreateOriginRequest_Gcs:
		d.provider = "gcs"
		d.settings = access.Settings{Bucket: p.Gcs.GetBucket()}
		c := p.Gcs.GetCredentials()
		switch {
		case c.GetServiceAccountJson() != "":
			violations = append(violations, rpcerr.Violation{Field: "gcs.credentials.service_account_json",
				Description: "service account JSON is not supported; create HMAC keys for the bucket's service account and pass hmac_access_id and hmac_secret (GCS S3-interoperable API)"})
		case c.GetHmacAccessId() == "" || c.GetHmacSecret() == "":
			violations = append(violations, rpcerr.Violation{Field: "gcs.credentials", Description: "hmac_access_id and hmac_secret are required"})
		}
		d.creds = access.Credentials{AccessKeyID: c.GetHmacAccessId(), SecretAccessKey: c.GetHmacSecret()}
	case *originv1.CreateOriginRequest_Http:
		d.provider = "http"
		d.settings = access.Settings{BaseURL: p.Http.GetBaseUrl(), HeaderNames: headerNames(p.Http.GetHeaders())}
		d.creds = access.Credentials{Headers: p.Http.GetHeaders()}
		if err := checkHeaders("http.headers", p.Http.GetHeaders()); err != nil {
			return d, err
		}
		if d.write {
			violations = append(violations, rpcerr.Violation{Field: "permissions", Description: "http origins are read-only; write is not allowed"})
		}
		if err := h.checkEndpoint(ctx, "http.base_url", d.settings.BaseURL); err != nil {
			return d, err
		}
	}
	if len(violations) > 0 {
		return d, rpcerr.Invalid(violations...)
	}
	return d, nil
}

// Create stores an origin after checking its credentials on the real store.
func (h *Origins) Create(ctx context.Context, req *connect.Request[originv1.CreateOriginRequest]) (*connect.Response[originv1.CreateOriginResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	d, err := h.draftOf(ctx, req.Msg)
	if err != nil {
		return nil, err
	}
	oid := id.New(id.Origin)
	res := h.Checker.Check(ctx, access.Target{Provider: d.provider, Settings: d.settings, Creds: d.creds, BasePath: req.Msg.GetBasePath()}, d.read, d.write)
	settings, err := json.Marshal(d.settings)
	if err != nil {
		return nil, err
	}
	kid, sealed, err := h.seal(oid, d.creds)
	if err != nil {
		return nil, err
	}
	status := "active"
	if res.Error != "" {
		status = "failed"
	}
	perms := []string{}
	if d.read {
		perms = append(perms, "read")
	}
	if d.write {
		perms = append(perms, "write")
	}
	row, err := h.Store.InsertOrigin(ctx, dbgen.InsertOriginParams{
		ID: oid, OrganizationID: p.OrganizationID, AppID: p.AppID, Environment: p.Environment,
		Name: req.Msg.GetName(), Description: req.Msg.GetDescription(), Provider: d.provider, Permissions: perms,
		Status: status, BasePath: req.Msg.GetBasePath(), PathTemplate: req.Msg.GetPathTemplate(),
		Settings: settings, CredentialsCipher: sealed, CredentialsKeyID: kid,
		LastValidatedAt: pgtype.Timestamptz{Time: time.Now(), Valid: true}, ValidationError: res.Error,
	})
	if err != nil {
		return nil, store.Translate(err)
	}
	return connect.NewResponse(&originv1.CreateOriginResponse{Origin: toProto(row), Validation: validation(res, row)}), nil
}

func (h *Origins) seal(originID string, c access.Credentials) (string, []byte, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return "", nil, err
	}
	kid, sealed := h.Ring.Seal(plain, []byte(originID))
	return kid, sealed, nil
}

func (h *Origins) open(row dbgen.OriginOrigin) (access.Credentials, error) {
	var c access.Credentials
	if row.CredentialsCipher == nil {
		return c, nil
	}
	plain, err := h.Ring.Open(row.CredentialsKeyID, row.CredentialsCipher, []byte(row.ID))
	if err != nil {
		return c, fmt.Errorf("origin %s: %w", row.ID, err)
	}
	return c, json.Unmarshal(plain, &c)
}

func (h *Origins) get(ctx context.Context, originID string) (dbgen.OriginOrigin, error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return dbgen.OriginOrigin{}, err
	}
	row, err := h.Store.GetOrigin(ctx, dbgen.GetOriginParams{ID: originID, AppID: p.AppID, Environment: p.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return row, rpcerr.NotFound("origin", originID)
	}
	return row, store.Translate(err)
}

// Get returns one origin of the caller's app.
func (h *Origins) Get(ctx context.Context, req *connect.Request[originv1.GetOriginRequest]) (*connect.Response[originv1.GetOriginResponse], error) {
	row, err := h.get(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&originv1.GetOriginResponse{Origin: toProto(row)}), nil
}

// List returns the app's origins, newest first.
func (h *Origins) List(ctx context.Context, req *connect.Request[originv1.ListOriginsRequest]) (*connect.Response[originv1.ListOriginsResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg := req.Msg.GetPagination()
	page, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return nil, rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	params := dbgen.ListOriginsParams{AppID: p.AppID, Environment: p.Environment, RowLimit: page.Fetch(), RowOffset: page.Offset}
	if req.Msg.GetStatus() != originv1.OriginStatus_ORIGIN_STATUS_UNSPECIFIED {
		params.Status = rpcwire.EnumString(req.Msg.GetStatus())
	}
	if req.Msg.GetProvider() != originv1.OriginProvider_ORIGIN_PROVIDER_UNSPECIFIED {
		params.Provider = rpcwire.EnumString(req.Msg.GetProvider())
	}
	if page.After {
		params.CursorCreatedAt = pgtype.Timestamptz{Time: page.CreatedAt, Valid: true}
		params.CursorID = page.ID
	}
	rows, err := h.Store.ListOrigins(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(page, rows, func(r dbgen.OriginOrigin) (time.Time, string) { return r.CreatedAt.Time, r.ID })
	resp := &originv1.ListOriginsResponse{Origins: []*originv1.Origin{}, Pagination: &commonv1.PaginationResponse{NextCursor: next}}
	for _, r := range rows {
		resp.Origins = append(resp.Origins, toProto(r))
	}
	return connect.NewResponse(resp), nil
}

// Validate checks the stored credentials against the store again.
func (h *Origins) Validate(ctx context.Context, req *connect.Request[originv1.ValidateOriginRequest]) (*connect.Response[originv1.ValidateOriginResponse], error) {
	row, err := h.get(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	row, res, err := h.revalidate(ctx, row)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&originv1.ValidateOriginResponse{Origin: toProto(row), Validation: validation(res, row)}), nil
}

func (h *Origins) revalidate(ctx context.Context, row dbgen.OriginOrigin) (dbgen.OriginOrigin, access.Result, error) {
	t, err := h.target(row)
	if err != nil {
		return row, access.Result{}, err
	}
	res := h.Checker.Check(ctx, t, slices.Contains(row.Permissions, "read"), slices.Contains(row.Permissions, "write"))
	status := "active"
	if res.Error != "" {
		status = "failed"
	}
	row, err = h.Store.SetOriginValidation(ctx, dbgen.SetOriginValidationParams{ID: row.ID, Status: status, ValidationError: res.Error})
	return row, res, store.Translate(err)
}

func (h *Origins) target(row dbgen.OriginOrigin) (access.Target, error) {
	var s access.Settings
	if err := json.Unmarshal(row.Settings, &s); err != nil {
		return access.Target{}, err
	}
	c, err := h.open(row)
	if err != nil {
		return access.Target{}, err
	}
	return access.Target{Provider: row.Provider, Settings: s, Creds: c, BasePath: row.BasePath}, nil
}

// Update changes names, paths and credentials; new credentials are
// validated against the store at once.
func (h *Origins) Update(ctx context.Context, req *connect.Request[originv1.UpdateOriginRequest]) (*connect.Response[originv1.UpdateOriginResponse], error) {
	row, err := h.get(ctx, req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	if row.Status == "archived" {
		return nil, rpcerr.FailedPrecondition("origin " + row.ID + " is archived")
	}
	m := req.Msg
	// Credentials stay NULL (unchanged) unless new ones are given.
	params := dbgen.UpdateOriginParams{ID: row.ID, Name: row.Name, Description: row.Description, BasePath: row.BasePath,
		PathTemplate: row.PathTemplate}
	if m.Name != nil {
		params.Name = m.GetName()
	}
	if m.Description != nil {
		params.Description = m.GetDescription()
	}
	if m.BasePath != nil {
		if err := pathtemplate.CheckPath(m.GetBasePath()); err != nil {
			return nil, rpcerr.InvalidField("base_path", err.Error())
		}
		params.BasePath = m.GetBasePath()
	}
	if m.PathTemplate != nil {
		if err := pathtemplate.CheckTemplate(m.GetPathTemplate()); err != nil {
			return nil, rpcerr.InvalidField("path_template", err.Error())
		}
		params.PathTemplate = m.GetPathTemplate()
	}
	creds, err := newCredentials(row.Provider, m)
	if err != nil {
		return nil, err
	}
	credsChanged := creds != nil
	if credsChanged {
		kid, sealed, err := h.seal(row.ID, *creds)
		if err != nil {
			return nil, err
		}
		params.CredentialsKeyID, params.CredentialsCipher = &kid, sealed
		if row.Provider == "http" {
			// Header names are shown; keep them in step with the values.
			var st access.Settings
			if err := json.Unmarshal(row.Settings, &st); err != nil {
				return nil, err
			}
			st.HeaderNames = headerNames(creds.Headers)
			if params.Settings, err = json.Marshal(st); err != nil {
				return nil, err
			}
		}
	}
	row, err = h.Store.UpdateOrigin(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	resp := &originv1.UpdateOriginResponse{}
	if credsChanged || m.BasePath != nil {
		var res access.Result
		if row, res, err = h.revalidate(ctx, row); err != nil {
			return nil, err
		}
		resp.Validation = validation(res, row)
	}
	resp.Origin = toProto(row)
	return connect.NewResponse(resp), nil
}

// newCredentials returns the credentials an Update request sets, nil if it
// sets none.
func newCredentials(provider string, m *originv1.UpdateOriginRequest) (*access.Credentials, error) {
	var out *access.Credentials
	set := func(field string, c access.Credentials) error {
		if out != nil {
			return rpcerr.InvalidField(field, "give one kind of credentials")
		}
		out = &c
		return nil
	}
	if c := m.GetS3Credentials(); c != nil {
		if provider != "s3" && provider != "r2" {
			return nil, rpcerr.InvalidField("s3_credentials", "only s3 and r2 origins take access keys")
		}
		if err := set("s3_credentials", access.Credentials{AccessKeyID: c.GetAccessKeyId(), SecretAccessKey: c.GetSecretAccessKey()}); err != nil {
			return nil, err
		}
	}
	if c := m.GetGcsCredentials(); c != nil {
		if provider != "gcs" {
			return nil, rpcerr.InvalidField("gcs_credentials", "only gcs origins take GCS credentials")
		}
		if c.GetServiceAccountJson() != "" || c.GetHmacAccessId() == "" || c.GetHmacSecret() == "" {
			return nil, rpcerr.InvalidField("gcs_credentials", "hmac_access_id and hmac_secret are required; service account JSON is not supported")
		}
		if err := set("gcs_credentials", access.Credentials{AccessKeyID: c.GetHmacAccessId(), SecretAccessKey: c.GetHmacSecret()}); err != nil {
			return nil, err
		}
	}
	if len(m.GetHttpHeaders()) > 0 {
		if provider != "http" {
			return nil, rpcerr.InvalidField("http_headers", "only http origins take headers")
		}
		if err := checkHeaders("http_headers", m.GetHttpHeaders()); err != nil {
			return nil, err
		}
		if err := set("http_headers", access.Credentials{Headers: m.GetHttpHeaders()}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Archive stops new jobs from using the origin.
func (h *Origins) Archive(ctx context.Context, req *connect.Request[originv1.ArchiveOriginRequest]) (*connect.Response[originv1.ArchiveOriginResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	row, err := h.Store.ArchiveOrigin(ctx, dbgen.ArchiveOriginParams{ID: req.Msg.GetId(), AppID: p.AppID, Environment: p.Environment})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return nil, rpcerr.NotFound("origin", req.Msg.GetId())
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	return connect.NewResponse(&originv1.ArchiveOriginResponse{Origin: toProto(row)}), nil
}

// Resolve hands a usable origin, credentials included, to the job service.
func (h *Origins) Resolve(ctx context.Context, req *connect.Request[internalv1.ResolveOriginRequest]) (*connect.Response[internalv1.ResolveOriginResponse], error) {
	m := req.Msg
	field := "input_origin_id"
	if m.GetPermission() == originv1.OriginPermission_ORIGIN_PERMISSION_WRITE {
		field = "output_origin_id"
	}
	row, err := h.Store.GetOrigin(ctx, dbgen.GetOriginParams{ID: m.GetOriginId(), AppID: m.GetAppId(), Environment: m.GetEnvironment()})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return nil, rpcerr.NotFound("origin", m.GetOriginId())
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	switch {
	case row.Status == "archived" && !m.GetIncludeArchived():
		return nil, rpcerr.FailedPrecondition(fmt.Sprintf("%s: origin %s is archived", field, row.ID))
	case row.Status == "failed":
		return nil, rpcerr.FailedPrecondition(fmt.Sprintf("%s: origin %s failed validation (%s); fix it and call Validate", field, row.ID, row.ValidationError))
	}
	want := rpcwire.EnumString(m.GetPermission())
	if m.GetPermission() != originv1.OriginPermission_ORIGIN_PERMISSION_UNSPECIFIED && !slices.Contains(row.Permissions, want) {
		return nil, rpcerr.InvalidField(field, fmt.Sprintf("origin %s does not have %s permission", row.ID, want))
	}
	t, err := h.target(row)
	if err != nil {
		return nil, err
	}
	endpoint, region := access.S3Endpoint(row.Provider, t.Settings)
	return connect.NewResponse(&internalv1.ResolveOriginResponse{Origin: &internalv1.ResolvedOrigin{
		Origin: toProto(row), AccessKeyId: t.Creds.AccessKeyID, SecretAccessKey: t.Creds.SecretAccessKey,
		HttpHeaders: t.Creds.Headers, Endpoint: endpoint, Region: region, Bucket: t.Settings.Bucket,
	}}), nil
}

func validation(res access.Result, row dbgen.OriginOrigin) *originv1.ValidationResult {
	v := &originv1.ValidationResult{Success: res.Error == "", Error: res.Error, CheckedAt: rpcwire.Timestamp(row.LastValidatedAt),
		PermissionsVerified: []originv1.OriginPermission{}}
	if res.Read {
		v.PermissionsVerified = append(v.PermissionsVerified, originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	}
	if res.Write {
		v.PermissionsVerified = append(v.PermissionsVerified, originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	}
	return v
}

func toProto(r dbgen.OriginOrigin) *originv1.Origin {
	var s access.Settings
	_ = json.Unmarshal(r.Settings, &s) // written by this service; a bad row shows empty settings
	o := &originv1.Origin{
		Id: r.ID, Name: r.Name, Description: r.Description, BasePath: r.BasePath, PathTemplate: r.PathTemplate,
		LastValidatedAt: rpcwire.Timestamp(r.LastValidatedAt), ValidationError: r.ValidationError,
		CreatedAt: rpcwire.Timestamp(r.CreatedAt), UpdatedAt: rpcwire.Timestamp(r.UpdatedAt), ArchivedAt: rpcwire.Timestamp(r.ArchivedAt),
		Permissions: []originv1.OriginPermission{},
	}
	if n, ok := rpcwire.EnumNumber(originv1.OriginProvider(0).Descriptor(), r.Provider); ok {
		o.Provider = originv1.OriginProvider(n)
	}
	if n, ok := rpcwire.EnumNumber(originv1.OriginStatus(0).Descriptor(), r.Status); ok {
		o.Status = originv1.OriginStatus(n)
	}
	for _, p := range r.Permissions {
		if n, ok := rpcwire.EnumNumber(originv1.OriginPermission(0).Descriptor(), p); ok {
			o.Permissions = append(o.Permissions, originv1.OriginPermission(n))
		}
	}
	switch r.Provider {
	case "s3":
		o.S3 = &originv1.S3Location{Bucket: s.Bucket, Region: s.Region, Endpoint: s.Endpoint}
	case "r2":
		o.R2 = &originv1.R2Location{Bucket: s.Bucket, AccountId: s.AccountID, Endpoint: s.Endpoint}
	case "gcs":
		o.Gcs = &originv1.GCSLocation{Bucket: s.Bucket}
	case "http":
		o.Http = &originv1.HTTPLocation{BaseUrl: s.BaseURL, HeaderNames: append([]string{}, s.HeaderNames...)}
	}
	return o
}
