//! The accept loop, ours rather than `axum::serve`, for what a public listener needs: a deadline
//! for reading a request's headers (also while a kept-alive connection idles), a cap on open
//! connections (and on one client's: a connection beyond its share is closed at once, so one
//! client cannot take every slot), TCP_NODELAY on every socket (a response leaves in more than one write; without it
//! Nagle's algorithm holds the last one until the client's delayed ACK, some 40 ms), and a
//! deadline for graceful shutdown. The whole-request deadline is a middleware (`TimeoutLayer`).

use std::{
    collections::HashMap,
    future::Future,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::Router;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::Service;

use crate::server::config::TrustedProxies;

pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub max_per_client: usize,
    /// Proxies carry many clients: their connections count only against `max_connections`.
    pub uncapped: TrustedProxies,
    pub shutdown_grace: Duration,
}

/// Open connections per client address (an IPv6 client by its /64, as the rate limits count it).
#[derive(Clone, Default)]
struct OpenPerClient(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One client's open connection, given back when dropped.
struct ClientShare {
    open: OpenPerClient,
    client: IpAddr,
}

impl OpenPerClient {
    fn admit(&self, peer: IpAddr, max: usize) -> Option<ClientShare> {
        let client = match peer.to_canonical() {
            IpAddr::V6(ip) => IpAddr::V6((u128::from(ip) & !u128::from(u64::MAX)).into()),
            v4 => v4,
        };
        let mut open = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(client).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(ClientShare {
            open: self.clone(),
            client,
        })
    }
}

impl Drop for ClientShare {
    fn drop(&mut self) {
        let mut open = self
            .open
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Serves `app` until `shutdown` resolves; then stops accepting, lets open requests finish for up
/// to the grace period, and closes what is left.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let open_per_client = OpenPerClient::default();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = open.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, usually: wait a little rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let share = if limits.uncapped.contains(&peer.ip()) {
            None
        } else {
            let Some(share) = open_per_client.admit(peer.ip(), limits.max_per_client) else {
                tracing::debug!(%peer, "closed a connection beyond the client's share");
                continue;
            };
            Some(share)
        };
        let _ = stream.set_nodelay(true);
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended");
            }
            drop((slot, share));
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown deadline reached with requests still open; closing them");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::OpenPerClient;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let open = OpenPerClient::default();
        let first = open.admit("2001:db8:0:7::1".parse().unwrap(), 2).unwrap();
        let _second = open.admit("2001:db8:0:7:ffff::2".parse().unwrap(), 2).unwrap();
        assert!(
            open.admit("2001:db8:0:7::3".parse().unwrap(), 2).is_none(),
            "a third address of the same /64 is the same client"
        );
        assert!(
            open.admit("2001:db8:0:8::1".parse().unwrap(), 2).is_some(),
            "the next /64 is another client"
        );
        let _ipv4 = open.admit("192.0.2.1".parse().unwrap(), 1).unwrap();
        assert!(
            open.admit("192.0.2.2".parse().unwrap(), 1).is_some(),
            "IPv4 clients by their own address"
        );
        drop(first);
        assert!(
            open.admit("2001:db8:0:7::3".parse().unwrap(), 2).is_some(),
            "a connection given back is the client's again"
        );
    }
}
