package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/wirejson"
)

// authTransport adds the API key and organization to every request, unary
// or streaming, as any API client would.
type authTransport struct{ key, org string }

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+a.key)
	r.Header.Set("X-Organization-ID", a.org)
	return http.DefaultTransport.RoundTrip(r)
}

// transcode runs the sample through the public API, exactly as a user
// would: origins, a job, a watch until it ends.
func (d *demo) transcode(ctx context.Context) error {
	httpc := &http.Client{Transport: authTransport{d.key, d.org}}
	origins := originv1connect.NewOriginServiceClient(httpc, apiURL)
	jobs := jobv1connect.NewJobServiceClient(httpc, apiURL)
	in, err := ensureOrigin(ctx, origins, inBucket, "", originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	if err != nil {
		return err
	}
	out, err := ensureOrigin(ctx, origins, outBucket, "renditions", originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	if err != nil {
		return err
	}
	variant := func(r commonv1.Resolution, q commonv1.QualityTier) *jobv1.OutputSpec {
		return &jobv1.OutputSpec{Type: jobv1.OutputType_OUTPUT_TYPE_MP4,
			Video: []*jobv1.VideoVariant{{Codec: commonv1.VideoCodec_VIDEO_CODEC_H264, Resolution: r, Quality: q}}}
	}
	created, err := jobs.Create(ctx, connect.NewRequest(&jobv1.CreateJobRequest{
		InputOriginId: in, InputPath: sampleKey, OutputOriginId: out,
		Outputs: []*jobv1.OutputSpec{
			variant(commonv1.Resolution_RESOLUTION_720P, commonv1.QualityTier_QUALITY_TIER_STANDARD),
			variant(commonv1.Resolution_RESOLUTION_480P, commonv1.QualityTier_QUALITY_TIER_ECONOMY),
		},
		Metadata: map[string]string{"source": "make-demo"},
	}))
	if err != nil {
		return fmt.Errorf("create job: %w", err)
	}
	id := created.Msg.GetJob().GetId()
	fmt.Printf("job        %s created (h264 720p standard + 480p economy)\n", id)

	job, err := watch(ctx, jobs, id)
	if err != nil {
		return err
	}
	wire, err := wirejson.Marshal(job)
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, wire, "", "  "); err != nil {
		return err
	}
	fmt.Printf("\n%s\n\n", pretty.Bytes())
	for _, o := range job.GetOutputs() {
		if o.GetOutputUrl() == "" {
			continue
		}
		v := o.GetSpec().GetVideo()[0]
		fmt.Printf("output     %s %s: %s (%s)\n", wireName(v.GetResolution().String(), "RESOLUTION_"),
			wireName(v.GetQuality().String(), "QUALITY_TIER_"), o.GetOutputUrl(), humanSize(o.GetOutputSizeBytes()))
		fmt.Printf("           %s/%s  (MinIO asks for credentials: %s / %s)\n", minioURL, strings.TrimPrefix(o.GetOutputUrl(), "s3://"), minioUser, minioPassword)
	}
	fmt.Printf("\nAsk the API yourself:\n  curl -s -X POST %s/transcodely.v1.JobService/Get -H 'Authorization: Bearer %s' -H 'X-Organization-ID: %s' -H 'Content-Type: application/json' -d '{\"id\":\"%s\"}'\n",
		apiURL, d.key, d.org, id)
	if job.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		return fmt.Errorf("job %s ended %s: %s %s", id, wireName(job.GetStatus().String(), "JOB_STATUS_"), job.GetErrorCode(), job.GetErrorMessage())
	}
	return nil
}

// ensureOrigin reuses the origin with this name (the bucket's name) or
// creates it.
func ensureOrigin(ctx context.Context, c originv1connect.OriginServiceClient, bucket, base string, perm originv1.OriginPermission) (string, error) {
	list, err := c.List(ctx, connect.NewRequest(&originv1.ListOriginsRequest{
		Pagination: &commonv1.PaginationRequest{Limit: 100}, Status: originv1.OriginStatus_ORIGIN_STATUS_ACTIVE}))
	if err != nil {
		return "", fmt.Errorf("list origins: %w", err)
	}
	for _, o := range list.Msg.GetOrigins() {
		if o.GetName() == bucket {
			fmt.Printf("origin     %s reused (%s)\n", bucket, o.GetId())
			return o.GetId(), nil
		}
	}
	resp, err := c.Create(ctx, connect.NewRequest(&originv1.CreateOriginRequest{
		Name: bucket, Permissions: []originv1.OriginPermission{perm}, BasePath: base,
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: bucket, Region: "us-east-1", Endpoint: minioURL,
			Credentials: &originv1.S3Credentials{AccessKeyId: minioUser, SecretAccessKey: minioPassword},
		}},
	}))
	if err != nil {
		return "", fmt.Errorf("create origin %s: %w", bucket, err)
	}
	if v := resp.Msg.GetValidation(); !v.GetSuccess() {
		return "", fmt.Errorf("origin %s failed validation: %s", bucket, v.GetError())
	}
	fmt.Printf("origin     %s created (%s)\n", bucket, resp.Msg.GetOrigin().GetId())
	return resp.Msg.GetOrigin().GetId(), nil
}

// watch prints one line per status or progress change until the job ends.
func watch(ctx context.Context, jobs jobv1connect.JobServiceClient, id string) (*jobv1.Job, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
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
		line := fmt.Sprintf("           %-12s %3d%%", wireName(last.GetStatus().String(), "JOB_STATUS_"), last.GetProgress())
		if line != shown {
			fmt.Println(line)
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

// wireName spells an enum value as the JSON API does: JOB_STATUS_PENDING -> pending.
func wireName(s, prefix string) string { return strings.ToLower(strings.TrimPrefix(s, prefix)) }
