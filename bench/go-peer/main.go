// The Go peer of `initdata webhook` for bench/webhook_load.py: the
// admission webhook a user would otherwise write, with the libraries the
// Kata shim uses to read Init-Data (encoding/base64, compress/gzip,
// github.com/BurntSushi/toml, crypto/sha256 and sha512) and Go's standard
// net/http (HTTPS, HTTP/1.1 keep-alive) and encoding/json.
//
//	webhook-peer -listen 127.0.0.1:8443 -cert tls.crt -key tls.key [-inject initdata.toml]
//
// POST /validate and POST /mutate take an AdmissionReview v1 request and
// answer an AdmissionReview v1 response with the request's uid.  Both
// decode the review into typed structs (metav1-like TypeMeta and
// ObjectMeta with the annotations map, the pod spec's runtimeClassName and
// containers; the other fields are skipped by the decoder, which still
// reads every byte).  A Pod whose runtime class is a Confidential
// Containers one must carry the Init-Data annotation; the annotation is
// decoded as the Kata shim decodes it (standard base64, gunzip, TOML into
// version/algorithm/data with string values), its version and algorithm
// checked, and the document digested with its algorithm.  Any failure
// denies (allowed: false, code 400, the reason).  /mutate allows and, for
// a Pod without the annotation, adds the -inject document's annotation
// with a JSON Patch.
//
// It does less than `initdata webhook` (no KBS URL, policy or platform
// checks, no workload kinds), so its cost is a lower bound of what a Go
// webhook doing the same job would spend.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

const (
	annotationKey = "io.katacontainers.config.hypervisor.cc_init_data"
	maxBody       = 8 << 20 // an UPDATE carries two objects of up to 3 MiB
	maxDocument   = 1 << 20 // bytes after gunzip
)

var cocoRuntimeClasses = map[string]bool{
	"kata-qemu-coco-dev": true, "kata-qemu-tdx": true, "kata-qemu-snp": true,
	"kata-qemu-se": true, "kata-qemu-cca": true, "kata-qemu-nvidia-gpu-tdx": true,
	"kata-qemu-nvidia-gpu-snp": true, "kata-remote": true,
}

// metav1-like types, as k8s.io/apimachinery names them.
type TypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

type ObjectMeta struct {
	Name         string            `json:"name,omitempty"`
	GenerateName string            `json:"generateName,omitempty"`
	Namespace    string            `json:"namespace,omitempty"`
	UID          string            `json:"uid,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

type Container struct {
	Name  string `json:"name"`
	Image string `json:"image,omitempty"`
}

type PodSpec struct {
	RuntimeClassName *string     `json:"runtimeClassName,omitempty"`
	Containers       []Container `json:"containers"`
	InitContainers   []Container `json:"initContainers,omitempty"`
}

type Pod struct {
	TypeMeta
	ObjectMeta ObjectMeta `json:"metadata"`
	Spec       PodSpec    `json:"spec"`
}

type GroupVersionKind struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

type AdmissionRequest struct {
	UID       string           `json:"uid"`
	Kind      GroupVersionKind `json:"kind"`
	Name      string           `json:"name,omitempty"`
	Namespace string           `json:"namespace,omitempty"`
	Operation string           `json:"operation"`
	Object    *Pod             `json:"object"`
	DryRun    *bool            `json:"dryRun,omitempty"`
}

type Status struct {
	Code    int32  `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

type AdmissionResponse struct {
	UID       string  `json:"uid"`
	Allowed   bool    `json:"allowed"`
	Result    *Status `json:"status,omitempty"`
	Patch     []byte  `json:"patch,omitempty"` // base64 in JSON, as the API wants
	PatchType *string `json:"patchType,omitempty"`
}

type AdmissionReview struct {
	TypeMeta
	Request  *AdmissionRequest  `json:"request,omitempty"`
	Response *AdmissionResponse `json:"response,omitempty"`
}

// InitData is the document as the Kata shim reads it.
type InitData struct {
	Version   string            `toml:"version"`
	Algorithm string            `toml:"algorithm"`
	Data      map[string]string `toml:"data"`
}

type patchOp struct {
	Op    string      `json:"op"`
	Path  string      `json:"path"`
	Value interface{} `json:"value"`
}

// decodeInitData decodes an annotation value and digests the document.
func decodeInitData(value string) (string, error) {
	compressed, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return "", fmt.Errorf("base64: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return "", fmt.Errorf("gzip: %w", err)
	}
	doc, err := io.ReadAll(io.LimitReader(zr, maxDocument+1))
	if err != nil {
		return "", fmt.Errorf("gzip: %w", err)
	}
	if len(doc) > maxDocument {
		return "", errors.New("document larger than 1 MiB")
	}
	var id InitData
	if _, err := toml.Decode(string(doc), &id); err != nil {
		return "", fmt.Errorf("toml: %w", err)
	}
	if id.Version != "0.1.0" {
		return "", fmt.Errorf("unsupported version %q", id.Version)
	}
	var h hash.Hash
	switch id.Algorithm {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		return "", fmt.Errorf("unsupported algorithm %q", id.Algorithm)
	}
	h.Write(doc)
	return hex.EncodeToString(h.Sum(nil)), nil
}

type server struct {
	inject string // the annotation value /mutate adds ("" when none)
}

func (s *server) review(req *AdmissionRequest, mutate bool) *AdmissionResponse {
	resp := &AdmissionResponse{UID: req.UID, Allowed: true}
	pod := req.Object
	if pod == nil || req.Kind.Kind != "Pod" || (req.Operation != "CREATE" && req.Operation != "UPDATE") {
		return resp
	}
	rc := ""
	if pod.Spec.RuntimeClassName != nil {
		rc = *pod.Spec.RuntimeClassName
	}
	if !cocoRuntimeClasses[rc] {
		return resp
	}
	value, present := pod.ObjectMeta.Annotations[annotationKey]
	if mutate {
		if !present && s.inject != "" {
			var ops []patchOp
			if pod.ObjectMeta.Annotations == nil {
				ops = []patchOp{{"add", "/metadata/annotations", map[string]string{annotationKey: s.inject}}}
			} else {
				ops = []patchOp{{"add", "/metadata/annotations/" + annotationKey, s.inject}}
			}
			patch, err := json.Marshal(ops)
			if err == nil {
				pt := "JSONPatch"
				resp.Patch, resp.PatchType = patch, &pt
			}
		}
		return resp
	}
	if !present {
		return deny(resp, "Pod "+pod.ObjectMeta.Namespace+"/"+pod.ObjectMeta.Name+": no Init-Data annotation "+annotationKey)
	}
	if _, err := decodeInitData(value); err != nil {
		return deny(resp, "Pod "+pod.ObjectMeta.Namespace+"/"+pod.ObjectMeta.Name+": Init-Data: "+err.Error())
	}
	return resp
}

func deny(resp *AdmissionResponse, msg string) *AdmissionResponse {
	resp.Allowed = false
	resp.Result = &Status{Code: 400, Message: msg}
	return resp
}

func (s *server) handler(mutate bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			http.Error(w, "Content-Type must be application/json", http.StatusUnsupportedMediaType)
			return
		}
		var in AdmissionReview
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
			http.Error(w, "not an AdmissionReview: "+err.Error(), http.StatusBadRequest)
			return
		}
		if in.Request == nil || in.Request.UID == "" {
			http.Error(w, "not an AdmissionReview: no request.uid", http.StatusBadRequest)
			return
		}
		out := AdmissionReview{
			TypeMeta: TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
			Response: s.review(in.Request, mutate),
		}
		body, err := json.Marshal(&out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

// encodeAnnotation makes the annotation value of a document: gzip, base64.
func encodeAnnotation(doc []byte) (string, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(doc); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b.Bytes()), nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8443", "address:port to serve HTTPS on")
	cert := flag.String("cert", "", "PEM certificate chain")
	key := flag.String("key", "", "PEM private key")
	inject := flag.String("inject", "", "Init-Data document that /mutate adds to Pods without one")
	flag.Parse()
	if *cert == "" || *key == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: webhook-peer -listen ADDR:PORT -cert FILE -key FILE [-inject FILE]")
		os.Exit(2)
	}
	s := &server{}
	if *inject != "" {
		doc, err := os.ReadFile(*inject)
		if err != nil {
			log.Fatal(err)
		}
		if s.inject, err = encodeAnnotation(doc); err != nil {
			log.Fatal(err)
		}
		if _, err := decodeInitData(s.inject); err != nil {
			log.Fatalf("%s: %v", *inject, err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/validate", s.handler(false))
	mux.HandleFunc("/mutate", s.handler(true))
	srv := &http.Server{
		Addr:              *listen,
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       30 * time.Second,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}},
		// HTTP/1.1 only, as kube-apiserver talks to webhooks.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	log.Fatal(srv.ListenAndServeTLS(*cert, *key))
}
