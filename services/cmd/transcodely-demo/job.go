package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"connectrpc.com/connect"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/pkg/wirejson"
	"github.com/transcodely/transcodely/services/internal/devstack"
)

// transcode runs the sample through the public API, exactly as a user
// would: origins, a job, a watch until it ends.
func (d *demo) transcode(ctx context.Context) error {
	httpc := d.acct.HTTPClient()
	origins := originv1connect.NewOriginServiceClient(httpc, apiURL)
	jobs := jobv1connect.NewJobServiceClient(httpc, apiURL)
	in, err := d.EnsureOrigin(ctx, origins, minioSrv, inBucket, "", originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	if err != nil {
		return err
	}
	out, err := d.EnsureOrigin(ctx, origins, minioSrv, outBucket, "renditions", originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
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
	d.Step("job", "%s created (h264 720p standard + 480p economy)", id)

	job, err := d.Watch(ctx, jobs, id, 10*time.Minute)
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
		d.Step("output", "%s %s: %s (%s)", devstack.WireName(v.GetResolution().String(), "RESOLUTION_"),
			devstack.WireName(v.GetQuality().String(), "QUALITY_TIER_"), o.GetOutputUrl(), devstack.HumanSize(o.GetOutputSizeBytes()))
		d.Step("", "%s/%s  (MinIO asks for credentials: %s / %s)", minioSrv.URL(), strings.TrimPrefix(o.GetOutputUrl(), "s3://"), minioSrv.User, minioSrv.Password)
	}
	fmt.Printf("\nAsk the API yourself:\n  curl -s -X POST %s/transcodely.v1.JobService/Get -H 'Authorization: Bearer %s' -H 'X-Organization-ID: %s' -H 'Content-Type: application/json' -d '{\"id\":\"%s\"}'\n",
		apiURL, d.acct.APIKey, d.acct.OrganizationID, id)
	if job.GetStatus() != jobv1.JobStatus_JOB_STATUS_COMPLETED {
		return fmt.Errorf("job %s ended %s: %s %s", id, devstack.WireName(job.GetStatus().String(), "JOB_STATUS_"), job.GetErrorCode(), job.GetErrorMessage())
	}
	return nil
}
