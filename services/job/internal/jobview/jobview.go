// Package jobview renders stored jobs as the public transcodely.v1.Job. It is
// shared by the handlers (Get, List, Watch) and the engine, which renders
// the job into webhook events inside the transaction that changed it, so an
// event shows exactly what Get would have shown at that moment.
package jobview

import (
	"encoding/json"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"

	jobv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1"
	"github.com/transcodely/transcodely/services/internal/pricing"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

var unmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}

func enumOf[E ~int32](d protoreflect.EnumDescriptor, s string) E {
	n, _ := rpcwire.EnumNumber(d, s)
	return E(n)
}

// Job assembles the public job from its rows (outputs and thumbnail sets
// in position order).
func Job(j dbgen.JobJob, outs []dbgen.JobOutput, thumbs []dbgen.JobThumbnail) *jobv1.Job {
	p := &jobv1.Job{
		Id: j.ID, InputUrl: j.InputUrl, Status: enumOf[jobv1.JobStatus](jobv1.JobStatus(0).Descriptor(), j.Status),
		Progress: j.Progress, Priority: enumOf[jobv1.Priority](jobv1.Priority(0).Descriptor(), j.Priority),
		TotalEstimatedCost: j.TotalEstimatedCost, TotalActualCost: j.TotalActualCost, Currency: pricing.Currency,
		ErrorCode: j.ErrorCode, ErrorMessage: j.ErrorMessage, WebhookUrl: j.WebhookUrl, Metadata: map[string]string{},
		DelayedStart: j.DelayedStart, BatchId: j.BatchID, AppId: j.AppID,
		CreatedAt: rpcwire.Timestamp(j.CreatedAt), UpdatedAt: rpcwire.Timestamp(j.UpdatedAt), ProbedAt: rpcwire.Timestamp(j.ProbedAt),
		StartedAt: rpcwire.Timestamp(j.StartedAt), CompletedAt: rpcwire.Timestamp(j.CompletedAt), ConfirmedAt: rpcwire.Timestamp(j.ConfirmedAt),
		Outputs: []*jobv1.Output{}, Thumbnails: []*jobv1.ThumbnailOutput{},
	}
	if j.InputOriginID != "" {
		p.InputOrigin = &jobv1.JobOriginRef{Id: j.InputOriginID, Name: j.InputOriginName, Path: j.InputPath}
	}
	p.OutputOrigin = &jobv1.JobOriginRef{Id: j.OutputOriginID, Name: j.OutputOriginName, Path: j.OutputPathTemplate}
	_ = json.Unmarshal(j.Metadata, &p.Metadata)
	if j.InputMetadata != nil {
		p.InputMetadata = &jobv1.InputMetadata{}
		_ = unmarshal.Unmarshal(j.InputMetadata, p.InputMetadata)
	}
	// The engine stores execution under the message's own field names.
	p.Execution = &jobv1.Execution{}
	_ = unmarshal.Unmarshal(j.Execution, p.Execution)
	for _, o := range outs {
		out := &jobv1.Output{
			Id: o.ID, Spec: &jobv1.OutputSpec{}, Status: enumOf[jobv1.OutputStatus](jobv1.OutputStatus(0).Descriptor(), o.Status),
			Progress: o.Progress, OutputUrl: o.OutputUrl, OutputSizeBytes: o.OutputSizeBytes, DurationSeconds: o.DurationSeconds,
			EstimatedCost: o.EstimatedCost, ActualCost: o.ActualCost, EstimatedDurationSeconds: o.EstimatedDurationSeconds,
			ErrorCode: o.ErrorCode, ErrorMessage: o.ErrorMessage, PresetId: o.PresetID, Checksum: o.Checksum,
			StartedAt: rpcwire.Timestamp(o.StartedAt), CompletedAt: rpcwire.Timestamp(o.CompletedAt), Files: []*jobv1.OutputFile{},
		}
		_ = unmarshal.Unmarshal(o.Spec, out.Spec)
		var files []struct {
			URL       string `json:"url"`
			SizeBytes int64  `json:"size_bytes"`
			Role      string `json:"role"`
		}
		_ = json.Unmarshal(o.Files, &files)
		for _, f := range files {
			out.Files = append(out.Files, &jobv1.OutputFile{Url: f.URL, SizeBytes: f.SizeBytes, Role: f.Role})
		}
		p.Outputs = append(p.Outputs, out)
	}
	for _, t := range thumbs {
		th := &jobv1.ThumbnailOutput{Spec: &jobv1.ThumbnailSpec{}, Status: enumOf[jobv1.OutputStatus](jobv1.OutputStatus(0).Descriptor(), t.Status),
			Urls: []string{}, SpriteUrl: t.SpriteUrl, VttUrl: t.VttUrl, ErrorMessage: t.ErrorMessage}
		_ = unmarshal.Unmarshal(t.Spec, th.Spec)
		_ = json.Unmarshal(t.Urls, &th.Urls)
		p.Thumbnails = append(p.Thumbnails, th)
	}
	if p.Execution.TotalSegments == 0 {
		// No segment tasks (only GIFs, or not planned yet): each output
		// is one unit of work.
		p.Execution.TotalSegments = int32(len(outs))
		for _, o := range outs {
			if o.Status == "completed" {
				p.Execution.CompletedSegments++
			}
		}
	}
	return p
}
