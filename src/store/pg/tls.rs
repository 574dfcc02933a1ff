//! TLS to the database server, with OpenSSL: encryption as libpq's `sslmode` asks, and a store
//! of trusted authorities loaded only when the server is to be authenticated.
//!
//! `native-tls` (used before) loads the system's certificate authorities for every connector,
//! twice (OpenSSL's default file, then the file it probes for), even for `sslmode=prefer` or
//! `require`, where nothing is verified: about 60 ms of a CLI command's 100 ms on a server.
//! Here a connector for those modes holds no authority at all; `verify-ca` and `verify-full`
//! trust the `sslrootcert` file alone when one is given (as libpq does), else the system's.

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslMethod, SslMode, SslOptions, SslVerifyMode, SslVersion,
};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509CheckFlags;
use openssl::x509::{X509VerifyResult, X509};
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
use postgres::Socket;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, BufReader, ReadBuf};

/// Why a connector could not be built.
#[derive(Debug)]
pub(crate) enum SetupError {
    /// The authority given is not a PEM certificate.
    NotPem(String),
    /// OpenSSL refused a setting.
    Tls(openssl::error::ErrorStack),
}

/// How connections check the server, built once per setting: what `MakeTlsConnect` needs.
#[derive(Clone)]
pub(crate) struct Connector {
    context: SslContext,
    /// The certificate must name the host connected to (`verify-full`).
    hostname: bool,
}

impl Connector {
    /// A connector that checks the server's certificate when `certificate` is set (against the
    /// PEM authorities in `root`, else the system's), and the host it names when `hostname`.
    pub(crate) fn new(
        certificate: bool,
        hostname: bool,
        root: Option<&[u8]>,
    ) -> Result<Connector, SetupError> {
        let mut b = SslContextBuilder::new(SslMethod::tls_client()).map_err(SetupError::Tls)?;
        // OpenSSL's own connector's settings (`SslConnector::builder`), less its trust store.
        let mut options = SslOptions::ALL
            | SslOptions::NO_COMPRESSION
            | SslOptions::NO_SSLV2
            | SslOptions::NO_SSLV3
            | SslOptions::SINGLE_DH_USE
            | SslOptions::SINGLE_ECDH_USE;
        options &= !SslOptions::DONT_INSERT_EMPTY_FRAGMENTS;
        b.set_options(options);
        b.set_mode(
            SslMode::AUTO_RETRY
                | SslMode::ACCEPT_MOVING_WRITE_BUFFER
                | SslMode::ENABLE_PARTIAL_WRITE
                | SslMode::RELEASE_BUFFERS,
        );
        b.set_cipher_list("DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK")
            .map_err(SetupError::Tls)?;
        // PostgreSQL servers refuse anything older by default (`ssl_min_protocol_version`).
        b.set_min_proto_version(Some(SslVersion::TLS1_2)).map_err(SetupError::Tls)?;
        if certificate {
            b.set_verify(SslVerifyMode::PEER);
            match root {
                Some(pem) => {
                    let certs = X509::stack_from_pem(pem).map_err(|e| SetupError::NotPem(e.to_string()))?;
                    if certs.is_empty() {
                        return Err(SetupError::NotPem("no certificate in it".into()));
                    }
                    let mut store = X509StoreBuilder::new().map_err(SetupError::Tls)?;
                    for cert in certs {
                        store.add_cert(cert).map_err(SetupError::Tls)?;
                    }
                    b.set_cert_store(store.build());
                }
                None => b.set_default_verify_paths().map_err(SetupError::Tls)?,
            }
        } else {
            b.set_verify(SslVerifyMode::NONE);
        }
        Ok(Connector { context: b.build(), hostname })
    }
}

impl MakeTlsConnect<Socket> for Connector {
    type Stream = Stream;
    type TlsConnect = Connect;
    type Error = openssl::error::ErrorStack;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Connect, Self::Error> {
        let mut ssl = Ssl::new(&self.context)?;
        // The name is empty for a Unix socket (`postgres:///db`, a `host` that is a folder),
        // which is never encrypted: OpenSSL refuses an empty name, so none is set.
        if !domain.is_empty() {
            let ip = domain.parse::<std::net::IpAddr>();
            // The server's name for its certificate (SNI), as libpq sends it: never an address.
            if ip.is_err() {
                ssl.set_hostname(domain)?;
            }
            if self.hostname {
                let param = ssl.param_mut();
                param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
                match ip {
                    Ok(ip) => param.set_ip(ip)?,
                    Err(_) => param.set_host(domain)?,
                }
            }
        }
        Ok(Connect(ssl))
    }
}

/// One connection's TLS session, before its handshake.
pub(crate) struct Connect(Ssl);

impl TlsConnect<Socket> for Connect {
    type Stream = Stream;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, Self::Error>> + Send>>;

    fn connect(self, socket: Socket) -> Self::Future {
        Box::pin(async move {
            // Read in blocks, not a TLS record header at a time (as postgres-native-tls did).
            let mut stream = tokio_openssl::SslStream::new(self.0, BufReader::with_capacity(8192, socket))?;
            if let Err(e) = Pin::new(&mut stream).connect().await {
                // OpenSSL's error says only "certificate verify failed"; the check says why
                // (an unknown authority, a self-signed certificate, another host's name).
                let check = stream.ssl().verify_result();
                if check != X509VerifyResult::OK {
                    return Err(format!("{e} ({})", check.error_string()).into());
                }
                return Err(e.into());
            }
            Ok(Stream(stream))
        })
    }
}

/// An encrypted connection to the server.
pub(crate) struct Stream(tokio_openssl::SslStream<BufReader<Socket>>);

impl AsyncRead for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl postgres::tls::TlsStream for Stream {
    /// SCRAM's channel binding (`tls-server-end-point`, RFC 5929): the server certificate's hash
    /// with the digest of its signature, SHA-256 in place of MD5 and SHA-1.
    fn channel_binding(&self) -> ChannelBinding {
        let Some(cert) = self.0.ssl().peer_certificate() else {
            return ChannelBinding::none();
        };
        let Some(algorithms) = cert.signature_algorithm().object().nid().signature_algorithms() else {
            return ChannelBinding::none();
        };
        let digest = match algorithms.digest {
            Nid::MD5 | Nid::SHA1 => MessageDigest::sha256(),
            nid => match MessageDigest::from_nid(nid) {
                Some(d) => d,
                None => return ChannelBinding::none(),
            },
        };
        match cert.digest(digest) {
            Ok(hash) => ChannelBinding::tls_server_end_point(hash.to_vec()),
            Err(_) => ChannelBinding::none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The authorities a connector would trust.
    fn trusted(c: &Connector) -> usize {
        c.context.cert_store().all_certificates().len()
    }

    /// The first `n` certificates of the system's bundle, as one PEM text.
    fn system_pem(n: usize) -> String {
        let bundle = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")
            .expect("the system's authorities (package ca-certificates)");
        let end = "-----END CERTIFICATE-----";
        let mut pem = String::new();
        for part in bundle.split_inclusive(end).take(n) {
            pem.push_str(part);
            pem.push('\n');
        }
        pem
    }

    /// `prefer` and `require` authenticate nothing, so their connector loads no authority:
    /// loading the system's took about 60 ms of every CLI command on a server.
    #[test]
    fn a_connector_that_authenticates_nothing_holds_no_authority() {
        let c = Connector::new(false, false, None).unwrap();
        assert_eq!(trusted(&c), 0);
        assert_eq!(c.context.verify_mode(), SslVerifyMode::NONE);
    }

    /// `verify-ca` with `sslrootcert` trusts the authorities of that file and no other, as
    /// libpq does; without it, the system's.
    #[test]
    fn a_root_file_is_the_only_authority_trusted() {
        let pem = system_pem(2);
        let c = Connector::new(true, false, Some(pem.as_bytes())).unwrap();
        assert_eq!(trusted(&c), 2);
        assert_eq!(c.context.verify_mode(), SslVerifyMode::PEER);
        let system = Connector::new(true, true, None).unwrap();
        assert!(trusted(&system) > 2, "the system's authorities: {}", trusted(&system));
    }

    #[test]
    fn a_root_file_without_a_certificate_is_refused() {
        for text in
            ["", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
        {
            match Connector::new(true, false, Some(text.as_bytes())) {
                Err(SetupError::NotPem(_)) => {}
                Err(e) => panic!("{text:?}: {e:?}"),
                Ok(_) => panic!("{text:?} was taken as an authority"),
            }
        }
    }
}
