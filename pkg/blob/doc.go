// Package blob is the one place Transcodely talks to object storage.
//
// Services depend on the Store interface; the implementations live in
// sub-packages (blobs3 for S3-compatible services, blobfs for a local folder)
// and all of them pass the same conformance suite in blobtest, so code written
// against Store behaves the same in dev and in production.
//
// Every storage failure that a person can act on is reported as an *Error
// whose Kind is one of the sentinel errors (ErrNotFound, ErrAccessDenied,
// ErrNoBucket, ErrUnreachable, ErrInvalidKey). Callers branch with errors.Is
// and show Error.Msg to users; the wrapped original error stays available for
// logs.
//
// PutURL and OpenURL move bytes over plain HTTP(S) for processes that hold no
// storage credentials, such as encoder workers given presigned URLs.
package blob
