//! Several real `gatehouse` processes on one PostgreSQL database behind Debian's nginx (round
//! robin), for the tests that only several instances can answer: shared state, exactly-once mail,
//! an instance killed with SIGKILL.

use std::{process::Stdio, time::Duration};

use tokio::process::{Child, Command};

use super::{fresh_database, Browser, SmtpSink, TestDb};

const NGINX: &str = "/usr/sbin/nginx";

pub struct Cluster {
    pub sink: SmtpSink,
    pub db: TestDb,
    pub proxy_port: u16,
    instances: Vec<Option<Child>>,
    instance_ports: Vec<u16>,
    proxy: Child,
    environment: Vec<(String, String)>,
    /// Holds the database's folder, the configuration and the proxy's files until the end.
    _dir: tempfile::TempDir,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// `instances` processes sharing a fresh database, a secret key and a mail sink, with the
    /// per-client limits lifted unless `environment` sets them.
    pub async fn start(instances: usize, mut sink: SmtpSink, environment: &[(&str, &str)]) -> Cluster {
        assert!(
            std::path::Path::new(NGINX).exists(),
            "nginx is missing (scripts/test.sh installs it)"
        );
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(&dir).await;
        let config = dir.path().join("empty.toml");
        std::fs::write(&config, "").unwrap();
        let mut shared: Vec<(String, String)> = [
            ("GATEHOUSE_CONFIG", config.to_str().unwrap()),
            ("GATEHOUSE_DATABASE_URL", &database_url.0),
            ("GATEHOUSE_SMTP_URL", &sink.url()),
            ("GATEHOUSE_SECRET_KEY", &"5a".repeat(32)),
            ("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1"),
            (
                "GATEHOUSE_OUTBOX_DIR",
                dir.path().join("outbox").to_str().unwrap(),
            ),
            ("GATEHOUSE_MAIL_RETRY_SECS", "1"),
            ("GATEHOUSE_REGISTER_PER_IP", "100000/1h"),
            ("GATEHOUSE_MAIL_PER_ADDRESS", "100000/1h"),
            ("GATEHOUSE_MAIL_PER_ADDRESS_DAILY", "100000/1d"),
            ("GATEHOUSE_MAIL_PER_INSTANCE", "100000/1h"),
            ("GATEHOUSE_RESEND_PER_IP", "100000/1h"),
            ("GATEHOUSE_VERIFY_FAILURES_PER_IP", "100000/1h"),
            ("GATEHOUSE_LOGIN_FAILURES_PER_IP", "100000/1h"),
            ("GATEHOUSE_POW_AFTER_REGISTRATIONS", "10000"),
            ("GATEHOUSE_POW_AFTER_CLIENT_LOGIN_FAILURES", "10000"),
            ("GATEHOUSE_POW_AFTER_LOGIN_FAILURES", "10000"),
            ("LEPTOS_OUTPUT_NAME", "gatehouse"),
            ("LEPTOS_SITE_ROOT", "target/site"),
            ("LEPTOS_SITE_PKG_DIR", "pkg"),
            ("RUST_LOG", "warn"),
        ]
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
        for (key, value) in environment {
            shared.retain(|(existing, _)| existing != key);
            shared.push((key.to_string(), value.to_string()));
        }
        let instance_ports: Vec<u16> = (0..instances).map(|_| free_port()).collect();
        let proxy_port = free_port();
        let db = TestDb::connect(&database_url.0).await;
        sink.settle_by(db.clone());
        let mut cluster = Cluster {
            db,
            sink,
            proxy_port,
            instances: Vec::new(),
            proxy: start_proxy(dir.path(), proxy_port, &instance_ports),
            instance_ports,
            environment: shared,
            _dir: dir,
        };
        for index in 0..instances {
            let child = cluster.spawn(index).await;
            cluster.instances.push(Some(child));
        }
        cluster.wait_until_serving(cluster.proxy_port).await;
        cluster
    }

    /// Starts instance `index` on its port. The port was free when the proxy's configuration was
    /// written, but another test's short-lived socket may hold it for a moment: a process that
    /// exits at once is started again.
    async fn spawn(&self, index: usize) -> Child {
        let port = self.instance_ports[index];
        for _ in 0..20 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
                .envs(self.environment.iter().cloned())
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .expect("start a gatehouse process");
            for _ in 0..300 {
                if self.serves(port).await {
                    return child;
                }
                if child.try_wait().expect("the process's state").is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            if child.try_wait().expect("the process's state").is_none() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("nothing serves on port {port}");
    }

    async fn serves(&self, port: u16) -> bool {
        let health = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await;
        health.is_ok_and(|response| response.status().is_success())
    }

    async fn wait_until_serving(&self, port: u16) {
        for _ in 0..300 {
            if self.serves(port).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nothing serves on port {port}");
    }

    /// A browser talking to the proxy, as it would on a real site.
    pub fn browser(&self) -> Browser {
        self.browser_from(None)
    }

    /// A browser whose own address (as the proxy reports it) is `ip`.
    pub fn browser_from(&self, ip: Option<&str>) -> Browser {
        let origin = format!("http://127.0.0.1:{}", self.proxy_port);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, origin.parse().unwrap());
        headers.insert(reqwest::header::ACCEPT, "text/html".parse().unwrap());
        if let Some(ip) = ip {
            headers.insert("x-forwarded-for", ip.parse().unwrap());
        }
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Browser { client, origin }
    }

    /// SIGKILL: no shutdown, no finishing of anything.
    pub async fn kill(&mut self, index: usize) {
        if let Some(mut child) = self.instances[index].take() {
            child.start_kill().unwrap();
            child.wait().await.unwrap();
        }
    }

    /// SIGTERM, as systemd stops a service; the process, to wait for.
    pub async fn terminate(&mut self, index: usize) -> Child {
        let child = self.instances[index].take().expect("the instance runs");
        let pid = child.id().expect("the instance runs").to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        child
    }

    pub async fn restart(&mut self, index: usize) {
        let child = self.spawn(index).await;
        self.instances[index] = Some(child);
    }

    pub fn instance_port(&self, index: usize) -> u16 {
        self.instance_ports[index]
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.proxy.start_kill();
    }
}

fn start_proxy(dir: &std::path::Path, port: u16, upstreams: &[u16]) -> Child {
    Command::new("scripts/lib/round-robin-proxy.sh")
        .arg(port.to_string())
        .arg(dir.join("nginx"))
        .args(upstreams.iter().map(u16::to_string))
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start nginx")
}
