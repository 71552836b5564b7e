package handler

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"

	"github.com/transcodely/transcodely/pkg/netguard"
)

// checkWebhookURL applies the webhook service's rule for endpoint URLs to
// a job's webhook_url: https:// to addresses the outbound policy allows,
// or plain http:// only when every address of the host lies in a network
// the operator allowed (TRANSCODELY_ALLOW_NETWORKS, e.g. a receiver on
// 127.0.0.1 in development): on the public internet the signed body,
// metadata included, would travel in the clear.
func checkWebhookURL(ctx context.Context, policy netguard.Policy, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return policy.CheckURL(ctx, raw, "https")
	}
	if err := policy.CheckURL(ctx, raw, "http"); err != nil {
		return err
	}
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		addrs = append(addrs, ip)
	} else {
		var r netguard.Resolver = net.DefaultResolver
		if policy.Resolver != nil {
			r = policy.Resolver
		}
		if addrs, err = r.LookupNetIP(ctx, "ip", u.Hostname()); err != nil {
			return err
		}
	}
	for _, a := range addrs {
		a = a.WithZone("").Unmap()
		inside := false
		for _, p := range policy.Allow {
			inside = inside || p.Contains(a)
		}
		if !inside {
			return errNotHTTPS
		}
	}
	return nil
}

var errNotHTTPS = errors.New(`URL scheme "http" is not allowed (allowed: https; http only for hosts in TRANSCODELY_ALLOW_NETWORKS)`)
