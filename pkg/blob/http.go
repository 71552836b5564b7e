package blob

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// PutURL uploads r with an HTTP PUT to rawURL, typically a presigned URL given
// to a worker that holds no storage credentials. size is the exact length
// of r, or -1 if unknown; presigned S3 PUTs need a Content-Length, so an
// unknown-size body is first spooled to a temporary file (never to memory).
// A nil httpClient means http.DefaultClient. A non-2xx answer is an error
// carrying the status and a short excerpt of the response body.
func PutURL(ctx context.Context, httpClient *http.Client, rawURL string, r io.Reader, size int64, contentType string) error {
	if size < 0 {
		f, n, err := spool(r)
		if err != nil {
			return err
		}
		defer f.Close()
		r, size = f, n
	}
	var body io.Reader = http.NoBody // a nil-length non-nil body would be sent chunked
	if size > 0 {
		body = ExpectSize(r, size)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, body)
	if err != nil {
		return fmt.Errorf("blob: PUT %s: %w", redact(rawURL), err)
	}
	req.ContentLength = size
	if contentType == "" {
		contentType = DefaultContentType
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := client(httpClient).Do(req)
	if err != nil {
		return requestError(ctx, req, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return statusError(req, resp)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
	return nil
}

// spool copies r into an unlinked-on-close temporary file and returns it
// rewound, with its length.
func spool(r io.Reader) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "blob-put-*")
	if err != nil {
		return nil, 0, fmt.Errorf("blob: spool upload: %w", err)
	}
	_ = os.Remove(f.Name()) // the open descriptor keeps the data alive
	n, err := io.Copy(f, r)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("blob: spool upload: %w", err)
	}
	return f, n, nil
}

// OpenURL opens an HTTP(S) URL for reading: a public input URL or a
// presigned GET URL. It returns the body and its size (-1 if the server did
// not say). A nil httpClient means http.DefaultClient.
func OpenURL(ctx context.Context, httpClient *http.Client, rawURL string) (io.ReadCloser, int64, error) {
	return OpenURLRange(ctx, httpClient, rawURL, 0, -1)
}

// OpenURLRange is OpenURL for length bytes starting at offset (length -1
// reads to the end). It fails if the server ignores the Range header rather
// than silently returning the wrong bytes.
func OpenURLRange(ctx context.Context, httpClient *http.Client, rawURL string, offset, length int64) (io.ReadCloser, int64, error) {
	if offset < 0 || length < -1 {
		return nil, 0, fmt.Errorf("blob: invalid range offset=%d length=%d", offset, length)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("blob: GET %s: %w", redact(rawURL), err)
	}
	ranged := offset > 0 || length >= 0
	if ranged {
		req.Header.Set("Range", rangeHeader(offset, length))
	}
	resp, err := client(httpClient).Do(req)
	if err != nil {
		return nil, 0, requestError(ctx, req, err)
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent && ranged,
		resp.StatusCode == http.StatusOK && !ranged:
		return resp.Body, resp.ContentLength, nil
	case resp.StatusCode == http.StatusOK && offset == 0:
		// The server ignored Range; the first length bytes are still right.
		return limitReadCloser(resp.Body, length), min(length, resp.ContentLength), nil
	case resp.StatusCode == http.StatusOK:
		resp.Body.Close()
		return nil, 0, fmt.Errorf("blob: GET %s: server does not support range requests", redact(rawURL))
	}
	defer resp.Body.Close()
	return nil, 0, statusError(req, resp)
}

// rangeHeader formats an HTTP Range header value; length -1 means to the end.
func rangeHeader(offset, length int64) string {
	if length < 0 {
		return fmt.Sprintf("bytes=%d-", offset)
	}
	return fmt.Sprintf("bytes=%d-%d", offset, offset+length-1)
}

func limitReadCloser(rc io.ReadCloser, n int64) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(rc, n), rc}
}

func client(c *http.Client) *http.Client {
	if c == nil {
		return http.DefaultClient
	}
	return c
}

// requestError translates a failed round trip. The URL is redacted because
// the query of a presigned URL is a credential that must not reach logs.
func requestError(ctx context.Context, req *http.Request, err error) error {
	if uerr, ok := err.(*url.Error); ok {
		err = uerr.Err // its text repeats the full, secret-bearing URL
	}
	if ctx.Err() == nil {
		if nerr := NetworkError(redact(req.URL.String()), err); nerr != nil {
			return nerr
		}
	}
	return fmt.Errorf("blob: %s %s: %w", req.Method, redact(req.URL.String()), err)
}

// statusError turns a non-2xx response into an *Error with a kind when the
// status maps onto one, including the status and a body excerpt.
func statusError(req *http.Request, resp *http.Response) error {
	excerpt, code := bodyExcerpt(resp.Body)
	e := &Error{Msg: fmt.Sprintf("%s %s: HTTP %s", req.Method, redact(req.URL.String()), resp.Status)}
	if excerpt != "" {
		e.Msg += ": " + excerpt
	}
	switch {
	case code == "NoSuchBucket":
		e.Kind = ErrNoBucket
	case resp.StatusCode == http.StatusNotFound, resp.StatusCode == http.StatusGone:
		e.Kind = ErrNotFound
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		e.Kind = ErrOutOfRange
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		e.Kind = ErrAccessDenied
		if code == "" || code == "AccessDenied" || code == "SignatureDoesNotMatch" {
			e.Msg = "access denied: the URL is expired, was signed with wrong credentials, or is not public (" + e.Msg + ")"
		}
	}
	return e
}

// bodyExcerpt returns a short, single-line excerpt of an error body, and the
// S3 error code when the body is an S3 XML error document.
func bodyExcerpt(body io.Reader) (excerpt, code string) {
	raw, _ := io.ReadAll(io.LimitReader(body, 4096))
	var s3err struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if xml.Unmarshal(raw, &s3err) == nil && s3err.Code != "" {
		return s3err.Code + ": " + s3err.Message, s3err.Code
	}
	excerpt = strings.Join(strings.Fields(string(bytes.ToValidUTF8(raw, nil))), " ")
	if r := []rune(excerpt); len(r) > 200 {
		excerpt = string(r[:200]) + "…"
	}
	return excerpt, ""
}

// redact drops the query and credentials of u, which for presigned URLs
// carry the signature.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.RawQuery, p.User, p.Fragment = "", nil, ""
	return p.String()
}
