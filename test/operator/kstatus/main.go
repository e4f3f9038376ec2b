// Computes the health of an object the way Flux does (kustomize-controller's and
// helm-controller's `wait`, and the flux CLI): with kstatus, sigs.k8s.io/cli-utils/pkg/kstatus/status.
// Usage: kstatus < object.json → {"status": "InProgress|Current|Failed|...", "message": "..."}
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	// UnmarshalJSON keeps integers as int64, as objects read from the API server are.
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		fail(err)
	}
	result, err := status.Compute(obj)
	if err != nil {
		fail(err)
	}
	out, _ := json.Marshal(map[string]string{"status": result.Status.String(), "message": result.Message})
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
