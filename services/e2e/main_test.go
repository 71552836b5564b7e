// Package e2e tests Transcodely from the outside: through the generated
// public clients (Connect and gRPC) and plain HTTP/JSON, against a real
// PostgreSQL, MinIO and ffmpeg.
package e2e

import (
	"testing"

	"github.com/transcodely/transcodely/pkg/miniotest"
)

func TestMain(m *testing.M) { miniotest.Main(m) }
