#!/usr/bin/env bash
# Debian's nginx in the foreground in front of Gatehouse and the apps it protects, with the
# forward-auth files of deploy/forward-auth/ included as they are. On 127.0.0.1:PORT:
#   portal.DOMAIN  the portal (Gatehouse on 127.0.0.1:PORTAL_PORT)
#   app.DOMAIN     the app on 127.0.0.1:APP_PORT, behind forward-auth
#   static.DOMAIN  a static page served by nginx, behind forward-auth
#   open.DOMAIN    the same static page, unprotected (the benchmark's comparison)
# Its files live in DIR. Used by the forward-auth tests (Rust and Playwright) and benchmarks.
#   scripts/lib/forward-auth-proxy.sh PORT DIR DOMAIN PORTAL_PORT APP_PORT
set -euo pipefail
port=$1 dir=$2 domain=$3 portal=$4 app=$5
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir/static"
cp "$here"/deploy/forward-auth/*.conf "$dir/"
printf '<!doctype html><html lang="en"><title>Static</title><p>A static page.</p></html>\n' >"$dir/static/index.html"
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
    server 127.0.0.1:$portal;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    server_name portal.$domain;
    location / {
      proxy_pass http://gatehouse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
  server {
    listen 127.0.0.1:$port;
    server_name app.$domain;
    include $dir/gatehouse-verify.conf;
    location / {
      include $dir/gatehouse-protect.conf;
      proxy_pass http://127.0.0.1:$app;
    }
  }
  server {
    listen 127.0.0.1:$port;
    server_name static.$domain;
    include $dir/gatehouse-verify.conf;
    location / {
      include $dir/gatehouse-protect.conf;
      root $dir/static;
    }
  }
  server {
    listen 127.0.0.1:$port;
    server_name open.$domain;
    location / {
      root $dir/static;
    }
  }
}
CONF
exec /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf"
