package devstack

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
)

// Secrets loads the server secrets from <state>/secrets.env, generating
// them on the first run: they must survive restarts or stored keys and
// origin credentials stop working. The map holds TRANSCODELY_SERVICE_TOKEN,
// TRANSCODELY_KEY_PEPPER and TRANSCODELY_MASTER_KEYS.
func (s *Stack) Secrets() (map[string]string, error) {
	env, err := ReadEnv(s.Path("secrets.env"))
	if err == nil {
		s.Step("secrets", "reused %s", s.Rel("secrets.env"))
		return env, nil
	}
	env = map[string]string{
		"TRANSCODELY_SERVICE_TOKEN": id.Random(32),
		"TRANSCODELY_KEY_PEPPER":    id.Random(32),
		"TRANSCODELY_MASTER_KEYS":   keyring.NewKeySpec(strings.TrimPrefix(filepath.Base(s.Dir), ".") + "1"),
	}
	s.Step("secrets", "generated %s", s.Rel("secrets.env"))
	return env, WriteEnv(s.Path("secrets.env"), env)
}

// Account is who a command acts as through the public API.
type Account struct {
	OrganizationID, APIKey string
}

// Bootstrap gets the organization id and an API key from the bootstrap
// subcommand of bin (allinone or account), run with env, for organization
// and app name. The command is idempotent but prints a key only when it
// mints one, so the key is kept in <state>/credentials.env; without that
// file a new key is minted.
func (s *Stack) Bootstrap(ctx context.Context, bin string, env []string, name string) (Account, error) {
	saved, _ := ReadEnv(s.Path("credentials.env"))
	run := func(extra ...string) (map[string]string, error) {
		args := append([]string{"bootstrap", "-format", "env", "-org", name, "-app", name, "-email", name + "@localhost"}, extra...)
		cmd := exec.CommandContext(ctx, bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s bootstrap: %w\n%s", filepath.Base(bin), err, stderr.Bytes())
		}
		return ParseEnv(stdout.Bytes()), nil
	}
	got, err := run()
	if err == nil && got["TRANSCODELY_API_KEY"] == "" && saved["TRANSCODELY_API_KEY"] == "" {
		got, err = run("-new-key")
	}
	if err != nil {
		return Account{}, err
	}
	if got["TRANSCODELY_API_KEY"] != "" {
		saved = got
		if err := WriteEnv(s.Path("credentials.env"), got); err != nil {
			return Account{}, err
		}
		s.Step("bootstrap", "new API key saved in %s", s.Rel("credentials.env"))
	} else {
		s.Step("bootstrap", "reused the API key in %s", s.Rel("credentials.env"))
	}
	return Account{OrganizationID: got["TRANSCODELY_ORGANIZATION_ID"], APIKey: saved["TRANSCODELY_API_KEY"]}, nil
}
