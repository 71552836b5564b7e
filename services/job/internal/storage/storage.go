// Package storage gives the job engine short-lived access to a job's input
// and output objects: it resolves origins through the origin service's
// internal CredentialService and presigns URLs, so encoder workers never see
// a credential.
package storage

import (
	"context"
	"net/url"
	"strings"
	"time"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1/internalv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/store/dbgen"
)

// Origins implements engine.Storage.
type Origins struct {
	Client internalv1connect.CredentialServiceClient
	Policy netguard.Policy
	// TTL is the lifetime of presigned URLs.
	TTL time.Duration
}

var _ engine.Storage = (*Origins)(nil)

func (o *Origins) resolve(ctx context.Context, j dbgen.JobJob, originID string, perm originv1.OriginPermission) (*internalv1.ResolvedOrigin, error) {
	resp, err := o.Client.Resolve(ctx, connect.NewRequest(&internalv1.ResolveOriginRequest{
		OriginId: originID, AppId: j.AppID, OrganizationId: j.OrganizationID, Environment: j.Environment,
		Permission: perm, IncludeArchived: true, // a job that started may finish
	}))
	if err != nil {
		return nil, err
	}
	return resp.Msg.GetOrigin(), nil
}

func (o *Origins) bucket(r *internalv1.ResolvedOrigin) (*blobs3.Store, error) {
	return blobs3.New(blobs3.Config{
		Endpoint: r.GetEndpoint(), Region: r.GetRegion(), Bucket: r.GetBucket(),
		AccessKeyID: r.GetAccessKeyId(), SecretAccessKey: r.GetSecretAccessKey(),
		Prefix: strings.Trim(r.GetOrigin().GetBasePath(), "/"), HTTPClient: o.Policy.HTTPClient(30 * time.Second),
	})
}

// InputURL presigns the input object, or returns the job's public URL.
func (o *Origins) InputURL(ctx context.Context, j dbgen.JobJob) (string, error) {
	if j.InputOriginID == "" {
		return j.InputUrl, nil
	}
	r, err := o.resolve(ctx, j, j.InputOriginID, originv1.OriginPermission_ORIGIN_PERMISSION_READ)
	if err != nil {
		return "", err
	}
	if r.GetOrigin().GetProvider() == originv1.OriginProvider_ORIGIN_PROVIDER_HTTP {
		base, err := url.Parse(strings.TrimSuffix(r.GetOrigin().GetHttp().GetBaseUrl(), "/") + "/")
		if err != nil {
			return "", err
		}
		ref, err := url.Parse(strings.TrimPrefix(j.InputPath, "/"))
		if err != nil {
			return "", err
		}
		return base.ResolveReference(ref).String(), nil
	}
	st, err := o.bucket(r)
	if err != nil {
		return "", err
	}
	return st.PresignGet(ctx, j.InputPath, o.TTL)
}

// UploadURL presigns a PUT of key under the output origin.
func (o *Origins) UploadURL(ctx context.Context, j dbgen.JobJob, key string) (string, error) {
	urls, err := o.UploadURLs(ctx, j, []string{key})
	if err != nil {
		return "", err
	}
	return urls[0], nil
}

// UploadURLs presigns PUTs of many keys under the output origin with one
// origin lookup: a package task may upload thousands of segments.
func (o *Origins) UploadURLs(ctx context.Context, j dbgen.JobJob, keys []string) ([]string, error) {
	r, err := o.resolve(ctx, j, j.OutputOriginID, originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	if err != nil {
		return nil, err
	}
	st, err := o.bucket(r)
	if err != nil {
		return nil, err
	}
	urls := make([]string, len(keys))
	for i, k := range keys {
		if urls[i], err = st.PresignPut(ctx, k, o.TTL); err != nil {
			return nil, err
		}
	}
	return urls, nil
}

// OutputOrigin describes the output origin for planning.
func (o *Origins) OutputOrigin(ctx context.Context, j dbgen.JobJob) (engine.OriginInfo, error) {
	r, err := o.resolve(ctx, j, j.OutputOriginID, originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	if err != nil {
		return engine.OriginInfo{}, err
	}
	provider := "s3"
	if r.GetOrigin().GetProvider() == originv1.OriginProvider_ORIGIN_PROVIDER_GCS {
		provider = "gcs"
	}
	return engine.OriginInfo{Provider: provider, Bucket: r.GetBucket(), BasePath: r.GetOrigin().GetBasePath(), PathTemplate: r.GetOrigin().GetPathTemplate()}, nil
}
