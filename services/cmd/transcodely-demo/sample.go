package main

import (
	"context"
	"fmt"
	"os"

	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/ffmpeg"
)

const sampleKey = "samples/sample.mp4"

// sample generates .demo/sample.mp4 once (10 s, 720p25 test pattern with a
// 440 Hz stereo tone) and uploads it to demo-input on every run.
func (d *demo) sample(ctx context.Context) error {
	local := d.path("sample.mp4")
	if _, err := os.Stat(local); err != nil {
		fmt.Println("sample     generating .demo/sample.mp4 (10 s, 1280x720, 25 fps)")
		partial := d.path("sample.partial.mp4") // renamed when complete, so a Ctrl-C leaves no half file behind
		job := ffmpeg.TranscodeJob{
			// One lavfi graph with two outputs (out0 video, out1 audio)
			// is a single input, which is all TranscodeJob takes.
			Input:       "testsrc2=size=1280x720:rate=25[out0];sine=frequency=440:sample_rate=48000[out1]",
			InputFormat: "lavfi",
			Duration:    10,
			Outputs: []ffmpeg.Output{{
				Path:      partial,
				Video:     &ffmpeg.VideoEncode{Codec: ffmpeg.CodecH264, Preset: "veryfast"},
				Audio:     &ffmpeg.AudioEncode{Codec: ffmpeg.CodecAAC, Channels: 2},
				FastStart: true,
			}},
		}
		if err := (&ffmpeg.Runner{}).Transcode(ctx, job, nil); err != nil {
			return fmt.Errorf("generate sample: %w", err)
		}
		if err := os.Rename(partial, local); err != nil {
			return err
		}
	}
	store, err := blobs3.New(blobs3.Config{Endpoint: minioURL, Region: "us-east-1", Bucket: inBucket,
		AccessKeyID: minioUser, SecretAccessKey: minioPassword})
	if err != nil {
		return err
	}
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := store.Put(ctx, sampleKey, f, fi.Size(), "video/mp4"); err != nil {
		return fmt.Errorf("upload sample: %w", err)
	}
	fmt.Printf("sample     uploaded to s3://%s/%s (%s)\n", inBucket, sampleKey, humanSize(fi.Size()))
	return nil
}

func humanSize(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
