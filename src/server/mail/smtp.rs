//! SMTP delivery over a pool of kept-open connections that set `TCP_NODELAY`. lettre's SMTP
//! client writes a message and its closing dot in two writes; with Nagle's algorithm on, the dot
//! waited for the server's delayed ACK, about 40 ms per mail on any connection. lettre's pooled
//! transport cannot set the option, so connections are opened here and handed to lettre's client
//! (`connect_with_transport`), which still speaks SMTP, STARTTLS and AUTH.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use lettre::{
    transport::smtp::{
        authentication::{Credentials, Mechanism},
        client::{AsyncSmtpConnection, TlsParameters},
        extension::ClientId,
    },
    Message,
};
use tokio::net::TcpStream;

/// Connections kept open for the next mails (the outbox sends up to 16 at once).
const MAX_IDLE: usize = 16;
/// A connection idle for longer is checked with NOOP before use; the server may have closed it.
const TRUSTED_IDLE: Duration = Duration::from_secs(5);
/// Connections idle this long are closed rather than reused.
const MAX_IDLE_TIME: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq)]
enum Security {
    Plain,
    /// STARTTLS; `required: false` upgrades only when the server offers it.
    StartTls {
        required: bool,
    },
    /// TLS from the first byte (smtps, port 465). These connections are opened by lettre and
    /// keep Nagle's algorithm on: STARTTLS on 587 is the faster choice.
    ImplicitTls,
}

pub struct SmtpPool {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl SmtpPool {
    /// lettre's URL form: `smtp://host:25`, `smtp://user:pass@host:587?tls=required` (or
    /// `opportunistic`), `smtps://user:pass@host:465`; a path names the EHLO domain. A password is
    /// sent only over TLS that cannot be stripped (`smtps://`, `?tls=required`), unless
    /// `?tls=none` says in so many words that this server is reached without it (a relay on the
    /// same machine).
    pub fn from_url(raw: &str, timeout: Duration) -> Result<SmtpPool, String> {
        let url = url::Url::parse(raw).map_err(|e| e.to_string())?;
        let host = url.host_str().ok_or("no host")?.to_string();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("none")) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { required: false }, 587),
            ("smtps", _) => (Security::ImplicitTls, 465),
            (scheme, tls) => return Err(format!("unknown scheme {scheme:?} or tls={tls:?}")),
        };
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = url
            .password()
            .map(|password| Credentials::new(decode(url.username()), decode(password)));
        let strippable = matches!(security, Security::Plain | Security::StartTls { required: false });
        if credentials.is_some() && strippable && tls.as_deref() != Some("none") {
            return Err(
                "would send its password without TLS (STARTTLS that is only offered can be \
                        stripped): use smtps:// or ?tls=required, or ?tls=none for a relay on this machine"
                    .into(),
            );
        }
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(SmtpPool {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            credentials,
            hello,
            timeout,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends over an idle connection when there is a sound one, else a new one; a connection that
    /// failed is dropped, never put back.
    pub async fn send(&self, message: &Message) -> Result<u16, String> {
        let mut connection = match self.take_idle().await {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let body = message.formatted();
        match tokio::time::timeout(self.timeout, connection.send(message.envelope(), &body)).await {
            Ok(Ok(response)) => {
                self.put_back(connection);
                Ok(u16::from(response.code()))
            }
            Ok(Err(error)) => {
                connection.abort().await;
                Err(error.to_string())
            }
            Err(_) => {
                connection.abort().await;
                Err(format!("no answer within {} s", self.timeout.as_secs()))
            }
        }
    }

    async fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut connection, since) = self.idle.lock().expect("smtp pool lock").pop()?;
            let idle_for = since.elapsed();
            if idle_for < TRUSTED_IDLE || (idle_for < MAX_IDLE_TIME && connection.test_connected().await) {
                return Some(connection);
            }
            connection.abort().await;
        }
    }

    fn put_back(&self, connection: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().expect("smtp pool lock");
        if idle.len() < MAX_IDLE && !connection.has_broken() {
            idle.push((connection, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let tls = || TlsParameters::new(self.host.clone()).map_err(|e| e.to_string());
        let mut connection = if self.security == Security::ImplicitTls {
            let address = (self.host.as_str(), self.port);
            AsyncSmtpConnection::connect_tokio1(address, Some(self.timeout), &self.hello, Some(tls()?), None)
                .await
                .map_err(|e| e.to_string())?
        } else {
            let stream =
                tokio::time::timeout(self.timeout, TcpStream::connect((self.host.as_str(), self.port)))
                    .await
                    .map_err(|_| format!("no connection within {} s", self.timeout.as_secs()))?
                    .map_err(|e| format!("connection refused or failed: {e}"))?;
            stream.set_nodelay(true).map_err(|e| e.to_string())?;
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
                .await
                .map_err(|e| e.to_string())?
        };
        if let Security::StartTls { required } = self.security {
            if required || connection.can_starttls() {
                connection
                    .starttls(tls()?, &self.hello)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(connection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lettres_url_forms() {
        let pool = |url| SmtpPool::from_url(url, Duration::from_secs(1)).unwrap();
        let plain = pool("smtp://127.0.0.1:2525");
        assert_eq!(
            (plain.port, plain.security, plain.credentials.is_some()),
            (2525, Security::Plain, false)
        );
        let submission = pool("smtp://me%40example.com:p%40ss@mail.example.com?tls=required");
        assert_eq!(submission.port, 587);
        assert_eq!(submission.security, Security::StartTls { required: true });
        assert_eq!(
            submission.credentials,
            Some(Credentials::new("me@example.com".into(), "p@ss".into()))
        );
        assert_eq!(pool("smtps://mail.example.com").port, 465);
        assert!(SmtpPool::from_url("http://mail.example.com", Duration::from_secs(1)).is_err());
    }

    #[test]
    fn a_password_goes_only_over_tls_unless_told_otherwise() {
        let pool = |url| SmtpPool::from_url(url, Duration::from_secs(1));
        for clear in [
            "smtp://u:p@mail.example.com",
            "smtp://u:p@mail.example.com?tls=opportunistic",
        ] {
            let problem = pool(clear)
                .err()
                .unwrap_or_else(|| panic!("{clear} was accepted"));
            assert!(
                problem.contains("without TLS") && !problem.contains("u:p"),
                "{problem}"
            );
        }
        for sound in [
            "smtp://u:p@mail.example.com?tls=required",
            "smtps://u:p@mail.example.com",
            "smtp://u:p@127.0.0.1:25?tls=none",
            "smtp://127.0.0.1:2525?tls=opportunistic",
        ] {
            assert!(pool(sound).is_ok(), "{sound}");
        }
    }
}
