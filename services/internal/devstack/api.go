package devstack

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
)

// HTTPClient sends the account's API key and organization with every
// request, unary or streaming, as any API client would.
func (a Account) HTTPClient() *http.Client { return &http.Client{Transport: authTransport(a)} }

type authTransport Account

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+a.APIKey)
	r.Header.Set("X-Organization-ID", a.OrganizationID)
	return http.DefaultTransport.RoundTrip(r)
}

// EnsureOrigin reuses the active origin named like bucket or creates it on
// m with the root user's credentials, and returns its id.
func (s *Stack) EnsureOrigin(ctx context.Context, c originv1connect.OriginServiceClient, m MinIO, bucket, base string, perm originv1.OriginPermission) (string, error) {
	list, err := c.List(ctx, connect.NewRequest(&originv1.ListOriginsRequest{
		Pagination: &commonv1.PaginationRequest{Limit: 100}, Status: originv1.OriginStatus_ORIGIN_STATUS_ACTIVE}))
	if err != nil {
		return "", fmt.Errorf("list origins: %w", err)
	}
	for _, o := range list.Msg.GetOrigins() {
		if o.GetName() == bucket {
			s.Step("origin", "%s reused (%s)", bucket, o.GetId())
			return o.GetId(), nil
		}
	}
	resp, err := c.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
		Name: bucket, Permissions: []originv1.OriginPermission{perm}, BasePath: base,
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: bucket, Region: "us-east-1", Endpoint: m.URL(),
			Credentials: &originv1.S3Credentials{AccessKeyId: m.User, SecretAccessKey: m.Password},
		}},
	}))
	if err != nil {
		return "", fmt.Errorf("create origin %s: %w", bucket, err)
	}
	if v := resp.Msg.GetValidation(); !v.GetSuccess() {
		return "", fmt.Errorf("origin %s failed validation: %s", bucket, v.GetError())
	}
	s.Step("origin", "%s created (%s)", bucket, resp.Msg.GetOrigin().GetId())
	return resp.Msg.GetOrigin().GetId(), nil
}

// Watch follows a job until it ends (the stream closes after a terminal
// status), printing one line per status or progress change, and returns the
// last state.
func (s *Stack) Watch(ctx context.Context, jobs jobv1connect.JobServiceClient, id string, timeout time.Duration) (*jobv1.Job, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stream, err := jobs.Watch(ctx, connect.NewRequest(&jobv1.WatchJobRequest{Id: id}))
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", id, err)
	}
	defer stream.Close()
	var last *jobv1.Job
	shown := ""
	for stream.Receive() {
		last = stream.Msg().GetJob()
		line := fmt.Sprintf("%-12s %3d%%", WireName(last.GetStatus().String(), "JOB_STATUS_"), last.GetProgress())
		if line != shown {
			s.Step("", "%s", line)
			shown = line
		}
	}
	if err := stream.Err(); err != nil {
		return nil, fmt.Errorf("watch %s: %w", id, err)
	}
	if last == nil {
		return nil, fmt.Errorf("watch %s: no update", id)
	}
	return last, nil
}
