module loadctl.local/k8s-target

go 1.22
