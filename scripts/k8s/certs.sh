# The test cluster's keys and certificates (openssl), made once per state dir: one CA for the API
# server, its clients and the kubelets; a second one for the aggregation layer's front proxy (so
# no ordinary client certificate can pose as it); the service-account signing key; and the admin
# kubeconfig every component of this one-node cluster uses. Sourced by k8s-test-cluster.sh.

k8s_certs() {
  local s="$1" node_ip="$2" port="$3" p="$1/pki"
  [ -f "$s/admin.kubeconfig" ] && return 0
  mkdir -p "$p"
  (
    cd "$p"
    ca() { openssl req -x509 -new -nodes -newkey rsa:2048 -keyout "$1.key" -out "$1.crt" -days 3650 -subj "/CN=$2" 2>/dev/null; }
    leaf() { # name, subject, CA, extensions
      openssl req -new -nodes -newkey rsa:2048 -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf '%s\n' "$4" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -out "$1.crt" -days 3650 -extfile "$1.ext" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    ca ca loadctl-test-ca
    ca front-proxy-ca loadctl-test-front-proxy-ca
    leaf apiserver /CN=kube-apiserver ca "subjectAltName=IP:127.0.0.1,IP:$node_ip,IP:198.19.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth"
    leaf admin "/O=system:masters/CN=loadctl-admin" ca "extendedKeyUsage=clientAuth"
    leaf front-proxy-client /CN=front-proxy-client front-proxy-ca "extendedKeyUsage=clientAuth"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  cat >"$s/admin.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: loadctl-test
  cluster: { server: "https://127.0.0.1:$port", certificate-authority: "$p/ca.crt" }
users:
- name: admin
  user: { client-certificate: "$p/admin.crt", client-key: "$p/admin.key" }
contexts:
- name: loadctl-test
  context: { cluster: loadctl-test, user: admin }
current-context: loadctl-test
YAML
}
