# Sourced by .ci/run: a private docker daemon for the docker-backed registry tests.
#
# Debian's docker.io is installed when missing and dockerd is started with its own data root,
# exec root and socket under a temp dir, changing nothing on the host: no iptables rules, no
# bridge, no IP forwarding (containers use host networking), vfs storage (works on any file
# system, overlay included). The stand-in registry image is built from the local docker-registry
# binary (zot itself cannot be downloaded here). DOCKER_HOST points the tests at this daemon.
# ci_docker_stop (run from the EXIT trap) stops the daemon and its containerd and removes the
# temp dir, so nothing is left running to hold CI's end. Where no daemon can start, the reason
# is printed and the docker tests skip with it.

CI_DOCKER_ROOT=""
CI_DOCKER_PID=""

ci_docker_start() {
  if ! command -v dockerd >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "installing docker.io for the docker-backed registry tests"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >/dev/null 2>&1 \
      || (apt-get update -q >/dev/null \
          && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io >/dev/null)) \
      || { echo "warning: could not install docker.io; the docker registry tests will skip"; return 0; }
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "warning: no dockerd; the docker registry tests will skip"
    return 0
  fi
  CI_DOCKER_ROOT="$(mktemp -d /tmp/dkp-ci-docker.XXXXXX)"
  dockerd --iptables=false --ip-forward=false --ip-masq=false --bridge=none --storage-driver=vfs \
    --data-root "$CI_DOCKER_ROOT/data" --exec-root "$CI_DOCKER_ROOT/exec" \
    --pidfile "$CI_DOCKER_ROOT/dockerd.pid" -H "unix://$CI_DOCKER_ROOT/docker.sock" \
    >"$CI_DOCKER_ROOT/dockerd.log" 2>&1 </dev/null &
  CI_DOCKER_PID=$!
  export DOCKER_HOST="unix://$CI_DOCKER_ROOT/docker.sock"
  # Bounded wait for the daemon process to answer (it is ready in well under a second here).
  if ! .venv/bin/python - <<'PY'
import sys, time
from harness.registry.backends.zot import docker_client
deadline = time.monotonic() + 60
while True:
    try:
        docker_client().close()
        break
    except Exception as exc:  # noqa: BLE001
        if time.monotonic() > deadline:
            sys.exit(f"dockerd did not answer within 60 s: {exc}")
        time.sleep(0.2)
PY
  then
    echo "warning: dockerd did not start; the docker registry tests will skip. Its log:"
    tail -n 20 "$CI_DOCKER_ROOT/dockerd.log" || true
    ci_docker_stop
    return 0
  fi
  if ! .venv/bin/python -c '
from harness.registry.backends.standin import build_standin_image
from harness.registry.backends.zot import docker_client
client = docker_client()
print("built", build_standin_image(client))
client.close()'; then
    echo "warning: could not build the stand-in registry image; the docker registry tests will skip"
  fi
}

ci_docker_stop() {
  if [ -n "$CI_DOCKER_PID" ] && kill -0 "$CI_DOCKER_PID" 2>/dev/null; then
    kill -TERM "$CI_DOCKER_PID" 2>/dev/null || true
    wait "$CI_DOCKER_PID" 2>/dev/null || true
  fi
  CI_DOCKER_PID=""
  if [ -n "$CI_DOCKER_ROOT" ]; then
    # dockerd leaves its default network namespace mounted in the exec root.
    if [ -e "$CI_DOCKER_ROOT/exec/netns/default" ]; then
      umount "$CI_DOCKER_ROOT/exec/netns/default" 2>/dev/null || true
    fi
    rm -rf "$CI_DOCKER_ROOT" 2>/dev/null || true
    CI_DOCKER_ROOT=""
  fi
  unset DOCKER_HOST
}
