// Kubernetes' own clusterrole-aggregation controller (the one kube-controller-manager runs),
// alone: it fills the rules of `view`, `edit` and `admin` from the ClusterRoles labelled
// rbac.authorization.k8s.io/aggregate-to-*. The test API server runs no controller-manager.
// Usage: rbac-aggregation KUBECONFIG (runs until SIGTERM).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubernetes/pkg/controller/clusterroleaggregation"
)

func main() {
	config, err := clientcmd.BuildConfigFromFlags("", os.Args[1])
	if err != nil {
		panic(err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	factory := informers.NewSharedInformerFactory(client, 0)
	controller := clusterroleaggregation.NewClusterRoleAggregation(factory.Rbac().V1().ClusterRoles(), client.RbacV1())
	factory.Start(ctx.Done())
	controller.Run(ctx, 1)
}
