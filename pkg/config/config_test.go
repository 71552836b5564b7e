package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/config"
)

// serviceConfig is shaped like a real service's config: shared pieces plus
// its own fields of every supported kind.
type serviceConfig struct {
	config.Database
	config.Server
	Telemetry config.Telemetry
	config.Logging

	Workers    int             `env:"TEST_WORKERS" default:"4"`
	Ratio      float64         `env:"TEST_RATIO" default:"0.5"`
	Debug      bool            `env:"TEST_DEBUG"`
	Poll       time.Duration   `env:"TEST_POLL" default:"1s"`
	Buckets    []string        `env:"TEST_BUCKETS"`
	Allow      []netip.Prefix  `env:"TEST_ALLOW"`
	Level      slog.Level      `env:"TEST_LEVEL" default:"warn"`
	APIKey     config.Secret   `env:"TEST_API_KEY" required:"true"`
	Token      string          `env:"TEST_TOKEN" secret:"true"`
	Keys       []config.Secret `env:"TEST_KEYS"`
	Port       uint16          `env:"TEST_PORT" default:"9000"`
	untagged   string
	NotFromEnv string
}

func validEnv() map[string]string {
	return map[string]string{
		"TRANSCODELY_DATABASE_URL": "postgres://app:pa55word@db:5432/transcodely",
		"TEST_API_KEY":             "k-123",
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()

	t.Run("defaults and values", func(t *testing.T) {
		t.Parallel()
		env := validEnv()
		env["TEST_BUCKETS"] = " a, b ,,c "
		env["TEST_ALLOW"] = "127.0.0.0/8, ::1/128"
		env["TEST_DEBUG"] = "true"
		env["TRANSCODELY_LISTEN_ADDR"] = "127.0.0.1:9999"
		env["TEST_KEYS"] = "k1,k2"
		var cfg serviceConfig
		cfg.Telemetry.ServiceName = "transcodely-test" // Pre-filled by the binary.
		cfg.NotFromEnv = "kept"
		if err := config.Load(config.MapLookup(env), &cfg); err != nil {
			t.Fatalf("Load: %v", err)
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"URL", cfg.URL.Reveal(), "postgres://app:pa55word@db:5432/transcodely"},
			{"Addr", cfg.Addr, "127.0.0.1:9999"},
			{"ReadHeaderTimeout", cfg.ReadHeaderTimeout, 10 * time.Second},
			{"ShutdownTimeout", cfg.ShutdownTimeout, 20 * time.Second},
			{"ServiceName", cfg.Telemetry.ServiceName, "transcodely-test"},
			{"SampleRatio", cfg.Telemetry.SampleRatio, 1.0},
			{"Level", cfg.Logging.Level, "info"},
			{"Format", cfg.Format, "json"},
			{"Workers", cfg.Workers, 4},
			{"Ratio", cfg.Ratio, 0.5},
			{"Debug", cfg.Debug, true},
			{"Poll", cfg.Poll, time.Second},
			{"Buckets", fmt.Sprint(cfg.Buckets), "[a b c]"},
			{"Allow", fmt.Sprint(cfg.Allow), "[127.0.0.0/8 ::1/128]"},
			{"slog.Level", cfg.Level, slog.LevelWarn},
			{"APIKey", cfg.APIKey.Reveal(), "k-123"},
			{"Keys", len(cfg.Keys), 2},
			{"Port", cfg.Port, uint16(9000)},
			{"NotFromEnv", cfg.NotFromEnv, "kept"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
	})

	t.Run("empty value counts as unset", func(t *testing.T) {
		t.Parallel()
		env := validEnv()
		env["TEST_WORKERS"] = ""
		var cfg serviceConfig
		if err := config.Load(config.MapLookup(env), &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Workers != 4 {
			t.Errorf("Workers = %d, want default 4", cfg.Workers)
		}
	})

	t.Run("every problem is reported by name", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{
			"TEST_WORKERS": "many",
			"TEST_POLL":    "5",
			"TEST_RATIO":   "x",
			"TEST_DEBUG":   "maybe",
			"TEST_ALLOW":   "10.0.0.0/8,nope",
			"TEST_PORT":    "70000",
		}
		var cfg serviceConfig
		err := config.Load(config.MapLookup(env), &cfg)
		var cerr *config.Error
		if !errors.As(err, &cerr) {
			t.Fatalf("err = %v, want *config.Error", err)
		}
		for _, name := range []string{
			"TRANSCODELY_DATABASE_URL", "TEST_API_KEY", "TEST_WORKERS", "TEST_POLL",
			"TEST_RATIO", "TEST_DEBUG", "TEST_ALLOW", "TEST_PORT",
		} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error does not name %s: %v", name, err)
			}
		}
		if len(cerr.Problems) != 8 {
			t.Errorf("got %d problems, want 8: %v", len(cerr.Problems), err)
		}
		if !errors.Is(err, config.ErrMissing) {
			t.Error("errors.Is(err, ErrMissing) = false")
		}
		var fe *config.FieldError
		if !errors.As(err, &fe) || fe.Env == "" {
			t.Error("no FieldError in chain")
		}
	})

	t.Run("validators run and are flattened", func(t *testing.T) {
		t.Parallel()
		env := validEnv()
		env["TRANSCODELY_DATABASE_URL"] = "mysql://root:topsecret@db/x"
		env["TRANSCODELY_LISTEN_ADDR"] = "8080"
		env["TRANSCODELY_SHUTDOWN_TIMEOUT"] = "-1s"
		env["TRANSCODELY_LOG_LEVEL"] = "verbose"
		env["TRANSCODELY_LOG_FORMAT"] = "xml"
		env["TRANSCODELY_OTLP_ENDPOINT"] = "collector:4318"
		env["TRANSCODELY_TRACE_SAMPLE_RATIO"] = "2"
		var cfg serviceConfig
		err := config.Load(config.MapLookup(env), &cfg)
		var cerr *config.Error
		if !errors.As(err, &cerr) {
			t.Fatalf("err = %v, want *config.Error", err)
		}
		for _, name := range []string{
			"TRANSCODELY_DATABASE_URL", "TRANSCODELY_LISTEN_ADDR", "TRANSCODELY_SHUTDOWN_TIMEOUT",
			"TRANSCODELY_LOG_LEVEL", "TRANSCODELY_LOG_FORMAT", "TRANSCODELY_OTLP_ENDPOINT",
			"TRANSCODELY_SERVICE_NAME", "TRANSCODELY_TRACE_SAMPLE_RATIO",
		} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error does not name %s: %v", name, err)
			}
		}
		if len(cerr.Problems) != 8 {
			t.Errorf("got %d problems, want 8 (flattened): %v", len(cerr.Problems), err)
		}
		if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("error leaks the database password: %v", err)
		}
	})

	t.Run("rejects non-struct destinations", func(t *testing.T) {
		t.Parallel()
		var s string
		for _, dst := range []any{nil, s, &s, serviceConfig{}, (*serviceConfig)(nil)} {
			if err := config.Load(config.MapLookup(nil), dst); err == nil {
				t.Errorf("Load(%T) succeeded", dst)
			}
		}
	})

	t.Run("invalid secret values are not echoed", func(t *testing.T) {
		t.Parallel()
		var cfg struct {
			PIN int `env:"TEST_PIN" secret:"true"`
		}
		err := config.Load(config.MapLookup(map[string]string{"TEST_PIN": "12ab34"}), &cfg)
		if err == nil || strings.Contains(err.Error(), "12ab34") || !strings.Contains(err.Error(), "TEST_PIN") {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("unsupported field type is reported", func(t *testing.T) {
		t.Parallel()
		var cfg struct {
			M map[string]string `env:"TEST_MAP"`
		}
		err := config.Load(config.MapLookup(map[string]string{"TEST_MAP": "a=b"}), &cfg)
		if err == nil || !strings.Contains(err.Error(), "TEST_MAP") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLoadEnv(t *testing.T) {
	t.Parallel()
	t.Run("reads the process environment", func(t *testing.T) {
		t.Parallel()
		// PATH is always set, which avoids t.Setenv (incompatible with
		// parallel tests).
		var cfg struct {
			V string `env:"PATH" required:"true"`
		}
		if err := config.LoadEnv(&cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.V != os.Getenv("PATH") {
			t.Errorf("V = %q", cfg.V)
		}
	})
}

func TestSecret(t *testing.T) {
	t.Parallel()
	s := config.Secret("hunter2")

	t.Run("never prints itself", func(t *testing.T) {
		t.Parallel()
		js, err := json.Marshal(struct{ S config.Secret }{s})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "secret", s)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "secret", s)
		outputs := []string{
			fmt.Sprint(s), fmt.Sprintf("%v %s %q %+v %#v", s, s, s, s, s),
			fmt.Sprintf("%v", struct{ S config.Secret }{s}), string(js), buf.String(),
		}
		for _, out := range outputs {
			if strings.Contains(out, "hunter2") {
				t.Errorf("secret leaked: %s", out)
			}
			if !strings.Contains(out, "[redacted]") {
				t.Errorf("no redaction marker: %s", out)
			}
		}
	})

	t.Run("reveal returns the value", func(t *testing.T) {
		t.Parallel()
		if s.Reveal() != "hunter2" {
			t.Errorf("Reveal = %q", s.Reveal())
		}
	})
}

func TestRedacted(t *testing.T) {
	t.Parallel()
	t.Run("secrets hidden, structure kept", func(t *testing.T) {
		t.Parallel()
		env := validEnv()
		env["TEST_TOKEN"] = "tok-secret"
		env["TEST_KEYS"] = "key-secret"
		var cfg serviceConfig
		if err := config.Load(config.MapLookup(env), &cfg); err != nil {
			t.Fatal(err)
		}
		m := config.Redacted(&cfg)
		js, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"pa55word", "k-123", "tok-secret", "key-secret"} {
			if strings.Contains(string(js), leak) {
				t.Errorf("Redacted leaks %q: %s", leak, js)
			}
		}
		server, _ := m["Server"].(map[string]any)
		if server["Addr"] != ":8080" || server["ShutdownTimeout"] != "20s" {
			t.Errorf("Server = %v", server)
		}
		if m["Workers"] != 4 {
			t.Errorf("Workers = %v", m["Workers"])
		}
		if _, ok := m["untagged"]; ok {
			t.Error("unexported field included")
		}
		if config.Redacted(42) != nil || config.Redacted((*serviceConfig)(nil)) != nil {
			t.Error("non-struct input not nil")
		}
	})
}
