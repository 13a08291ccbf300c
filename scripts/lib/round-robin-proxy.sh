#!/usr/bin/env bash
# Debian's nginx in the foreground as a round-robin reverse proxy: 127.0.0.1:PORT to the given
# Gatehouse instances on 127.0.0.1, with X-Forwarded-For appended and the upstream that answered
# named in X-Upstream. Its files live in DIR. Used by the multi-instance tests and benchmarks.
#   scripts/lib/round-robin-proxy.sh PORT DIR UPSTREAM_PORT...
set -euo pipefail
port=$1 dir=$2
shift 2
mkdir -p "$dir"
servers=''
for upstream in "$@"; do servers+="    server 127.0.0.1:$upstream;"$'\n'; done
cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log stderr error;
pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  upstream gatehouse {
$servers  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://gatehouse;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
exec /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
