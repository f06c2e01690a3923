//! Where the suites find a database server: the URL in the suite's variable; else the local
//! server, when it accepts a connection; else a container started for this test process, when a
//! Docker engine answers; else the local URL all the same, so that the suites skip (or, under
//! `CI=true`, fail) with their usual message.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use testcontainers::core::{ContainerRequest, IntoContainerPort, WaitFor};
use testcontainers::runners::SyncRunner;
use testcontainers::{Container, GenericImage, ImageExt};

/// How long a probe of the local server or of the Docker engine may take.
const PROBE: Duration = Duration::from_secs(1);

/// One kind of server the suites use.
pub struct Server {
    /// What the suites call it in messages.
    pub name: &'static str,
    /// The variable that names its URL.
    pub env_var: &'static str,
    /// Its port, on 127.0.0.1 for the local server and inside the container.
    pub port: u16,
    /// Its URL, given a host and a port.
    pub url: fn(host: &str, port: u16) -> String,
    /// The image (`name:tag`) to start when there is no local server.
    pub image: &'static str,
    /// A variable of the container's environment.
    pub image_env: (&'static str, &'static str),
    /// The lines the container logs once it is ready, waited for in order: each on standard
    /// error (true) or standard output (false).
    pub ready: &'static [(bool, &'static str)],
}

/// The server a test process uses, and the container that runs it, if one was started: kept
/// (in a static) for the rest of the process.
pub struct Found {
    /// Its URL.
    pub url: String,
    _container: Option<Container<GenericImage>>,
}

impl Server {
    /// Finds the server, starting a container when neither the variable nor the local server
    /// gives one and a Docker engine answers.
    pub fn find(&self) -> Found {
        self.find_with(|| engine_answers(std::env::var("DOCKER_HOST").ok().as_deref()))
    }

    /// [`Server::find`], with `engine` telling whether a Docker engine answers.
    pub fn find_with(&self, engine: impl FnOnce() -> bool) -> Found {
        let found = |url, container| Found { url, _container: container };
        if let Ok(url) = std::env::var(self.env_var) {
            return found(url, None);
        }
        let local = (self.url)("127.0.0.1", self.port);
        if TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], self.port)), PROBE).is_ok() || !engine() {
            return found(local, None);
        }
        // The runner blocks on a runtime of its own, which it cannot do inside the caller's.
        let start = || {
            let container = self.request().start().map_err(|e| e.to_string())?;
            let host = container.get_host().map_err(|e| e.to_string())?.to_string();
            let port = container.get_host_port_ipv4(self.port.tcp()).map_err(|e| e.to_string())?;
            Ok::<_, String>((container, host, port))
        };
        let started = std::thread::scope(|s| s.spawn(start).join());
        match started.unwrap_or_else(|_| Err("the runner panicked".into())) {
            Ok((container, host, port)) => {
                // The container stays in a static, whose destructor never runs: a watcher
                // removes it once this process has exited.
                if let Err(e) = reap_after(std::process::id(), container.id(), "docker") {
                    eprintln!("cannot watch container {} to remove it after the tests: {e}", container.id());
                }
                let url = (self.url)(&host, port);
                eprintln!(
                    "no local {} server: started a container at {}",
                    self.name,
                    schema_inspect::redact_text(&url)
                );
                found(url, Some(container))
            }
            Err(e) => {
                eprintln!("no local {} server, and starting a container failed: {e}", self.name);
                found(local, None)
            }
        }
    }

    /// The container to start.
    fn request(&self) -> ContainerRequest<GenericImage> {
        let (name, tag) = self.image.split_once(':').unwrap_or((self.image, "latest"));
        let image = GenericImage::new(name, tag).with_exposed_port(self.port.tcp());
        let wait = |image: GenericImage, &(stderr, line): &(bool, &str)| {
            image.with_wait_for(if stderr {
                WaitFor::message_on_stderr(line)
            } else {
                WaitFor::message_on_stdout(line)
            })
        };
        self.ready.iter().fold(image, wait).with_env_var(self.image_env.0, self.image_env.1)
    }
}

/// Removes container `id` with `docker` (the CLI) once process `pid` has exited, from a shell
/// loop of its own that outlives the process; without `sh` or `docker` it cannot, and says so.
pub fn reap_after(pid: u32, id: &str, docker: &str) -> std::io::Result<std::process::Child> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" rm -f -v "$3" >/dev/null 2>&1"#)
        .args(["reaper", &pid.to_string(), docker, id])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
}

/// True when the Docker engine of `docker_host` (`DOCKER_HOST`), or, without one, of the first
/// socket that testcontainers would use, answers an HTTP request within [`PROBE`]. Hosts of
/// other schemes (`ssh://`, `npipe://`) are taken to answer: testcontainers tries them itself.
pub fn engine_answers(docker_host: Option<&str>) -> bool {
    let Some(host) = docker_host else {
        let home = std::env::var("HOME").unwrap_or_default();
        let runtime = std::env::var("XDG_RUNTIME_DIR").unwrap_or_default();
        let sockets = [
            "/var/run/docker.sock".to_string(),
            format!("{runtime}/.docker/run/docker.sock"),
            format!("{home}/.docker/run/docker.sock"),
            format!("{home}/.docker/desktop/docker.sock"),
        ];
        let first = sockets.into_iter().find(|s| std::path::Path::new(s).exists());
        return first.is_some_and(|s| engine_answers(Some(&format!("unix://{s}"))));
    };
    if let Some(address) = host.strip_prefix("tcp://") {
        let address = address.trim_end_matches('/').to_socket_addrs().ok().and_then(|mut a| a.next());
        return address.and_then(|a| TcpStream::connect_timeout(&a, PROBE).ok()).is_some_and(answers);
    }
    #[cfg(unix)]
    if let Some(path) = host.strip_prefix("unix://") {
        return std::os::unix::net::UnixStream::connect(path).is_ok_and(answers);
    }
    !host.starts_with("unix://")
}

/// True when the engine at the other end of `stream` answers `GET /_ping` with any HTTP
/// response (a TLS port answers plain HTTP with a 400, and is an engine all the same).
fn answers<S: Read + Write + Timeouts>(mut stream: S) -> bool {
    let mut reply = [0; 5];
    stream.timeouts(PROBE)
        && stream.write_all(b"GET /_ping HTTP/1.0\r\n\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"HTTP/"
}

/// Read and write timeouts of a stream.
trait Timeouts {
    /// Sets both; false on failure.
    fn timeouts(&self, t: Duration) -> bool;
}

impl Timeouts for TcpStream {
    fn timeouts(&self, t: Duration) -> bool {
        self.set_read_timeout(Some(t)).is_ok() && self.set_write_timeout(Some(t)).is_ok()
    }
}

#[cfg(unix)]
impl Timeouts for std::os::unix::net::UnixStream {
    fn timeouts(&self, t: Duration) -> bool {
        self.set_read_timeout(Some(t)).is_ok() && self.set_write_timeout(Some(t)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Instant;

    fn server(env_var: &'static str, port: u16) -> Server {
        Server {
            name: "test",
            env_var,
            port,
            url: |host, port| format!("test://{host}:{port}/db"),
            image: "none:none",
            image_env: ("NONE", ""),
            ready: &[],
        }
    }

    /// A port of 127.0.0.1 that nothing listens on (just freed).
    fn closed_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    #[test]
    fn the_variable_comes_first() {
        std::env::set_var("SCHEMA_E2E_SERVER_TEST_URL", "test://elsewhere/db");
        let found = server("SCHEMA_E2E_SERVER_TEST_URL", closed_port()).find_with(|| panic!("no engine probe"));
        assert_eq!(found.url, "test://elsewhere/db");
    }

    #[test]
    fn a_listening_local_server_comes_next() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let found = server("SCHEMA_E2E_SERVER_TEST_UNSET", port).find_with(|| panic!("no engine probe"));
        assert_eq!(found.url, format!("test://127.0.0.1:{port}/db"));
    }

    #[test]
    fn without_an_engine_the_local_url_is_returned_fast() {
        let port = closed_port();
        let start = Instant::now();
        let found = server("SCHEMA_E2E_SERVER_TEST_UNSET", port).find_with(|| false);
        assert_eq!(found.url, format!("test://127.0.0.1:{port}/db"));
        assert!(found._container.is_none());
        // The engine probes of a missing socket and of a closed port fail fast too.
        assert!(!engine_answers(Some("unix:///nonexistent/docker.sock")));
        assert!(!engine_answers(Some(&format!("tcp://127.0.0.1:{port}"))));
        assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    }

    #[test]
    fn an_engine_answers_http() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let engine = std::thread::spawn(move || {
            for reply in [&b"HTTP/1.1 200 OK\r\n\r\nOK"[..], b"SSH-2.0-x\r\n"] {
                let (mut s, _) = listener.accept().unwrap();
                let _ = s.read(&mut [0; 64]);
                s.write_all(reply).unwrap();
            }
        });
        assert!(engine_answers(Some(&format!("tcp://127.0.0.1:{port}"))));
        assert!(!engine_answers(Some(&format!("tcp://127.0.0.1:{port}"))));
        engine.join().unwrap();
    }

    #[test]
    fn a_container_is_removed_once_its_process_has_exited() {
        let dir = std::env::temp_dir().join(format!("schema-e2e-reaper-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (docker, log) = (dir.join("docker"), dir.join("calls"));
        std::fs::write(&docker, format!("#!/bin/sh\necho \"$@\" >> '{}'\n", log.display())).unwrap();
        std::fs::set_permissions(&docker, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let mut process = std::process::Command::new("sleep").arg("1").spawn().unwrap();
        let mut reaper = reap_after(process.id(), "c0ffee", docker.to_str().unwrap()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(!log.exists(), "removed while its process still runs");
        process.wait().unwrap();
        assert!(reaper.wait().unwrap().success());
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "rm -f -v c0ffee\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn containers_are_asked_for_with_their_port_environment_and_ready_lines() {
        let pg = crate::pg::SERVER.request();
        assert_eq!(pg.descriptor(), "postgres:15");
        assert_eq!(pg.expose_ports(), [5432.tcp()]);
        let env: Vec<_> = pg.env_vars().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(env, ["POSTGRES_HOST_AUTH_METHOD=trust"]);
        let ready = "database system is ready to accept connections";
        let expected = [WaitFor::message_on_stdout(ready), WaitFor::message_on_stderr(ready)];
        assert_eq!(format!("{:?}", pg.ready_conditions()), format!("{expected:?}"));
        let my = crate::my::SERVER.request();
        assert_eq!((my.descriptor().as_str(), my.expose_ports()), ("mariadb:10.11", &[3306.tcp()][..]));
    }
}
