/*
 * kube-sim's pod network shim (LD_PRELOAD).
 *
 * Why it exists: kube-sim runs a pod's containers as host processes that share the host's network stack,
 * so without help two pods could not both listen on :8443 or 127.0.0.1:873, and a sidecar talking to
 * "127.0.0.1" would reach whichever pod happened to bind there first. A real pod has a network namespace
 * of its own; we cannot create those for every pod (no veth/bridge setup, loopback addresses only), so
 * instead every dynamically linked process of a pod gets this library with KUBE_SIM_POD_IP=<its pod IP>:
 *
 *   - bind() of AF_INET to 0.0.0.0 or 127.0.0.1 becomes a bind to the pod IP (same port), so every pod
 *     has its own port space and "listen on all addresses" means "listen on my pod IP" as in a pod;
 *   - connect()/sendto() to 127.0.0.1 goes to the pod IP, so containers of one pod reach each other on
 *     localhost and never another pod's daemon;
 *   - an unbound TCP socket connecting to a loopback address is first bound to the pod IP (port 0), so
 *     the peer sees the pod IP as the source address, as it would see a real pod's address;
 *   - socket(AF_INET6, ...) fails with EAFNOSUPPORT, so programs that try IPv6 first (node, rsync,
 *     stunnel, openssl) fall back to IPv4, where the rewriting above applies.
 *
 * Statically linked programs (Go) ignore LD_PRELOAD; they must bind to $(POD_IP) themselves.
 * Without KUBE_SIM_POD_IP (or with an invalid one) the library changes nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef int (*socket_fn)(int, int, int);
typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

static socket_fn real_socket;
static bind_fn real_bind;
static connect_fn real_connect;
static sendto_fn real_sendto;

/* pod IP in network byte order; 0 when the shim is inactive */
static in_addr_t pod_ip;
static int initialised;

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/*
 * Resolving the next definitions and reading the environment happens once, from the constructor; the
 * lazy call in every wrapper covers a socket call made by another library's constructor that runs first.
 * errno is saved around it because dlsym and getenv may change it and callers of e.g. connect() must see
 * only the errno of the real call.
 */
static void init(void) {
  if (initialised) return;
  int saved = errno;
  real_socket = (socket_fn)dlsym(RTLD_NEXT, "socket");
  real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
  real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
  real_sendto = (sendto_fn)dlsym(RTLD_NEXT, "sendto");
  const char *ip = getenv("KUBE_SIM_POD_IP");
  struct in_addr parsed;
  /* only loopback pod IPs are accepted: kube-sim must never move traffic off 127.0.0.0/8 */
  if (ip && inet_pton(AF_INET, ip, &parsed) == 1 && (ntohl(parsed.s_addr) >> 24) == 127) {
    pod_ip = parsed.s_addr;
  }
  initialised = 1;
  errno = saved;
}

__attribute__((constructor)) static void shim_constructor(void) { init(); }

static int is_inet(const struct sockaddr *addr, socklen_t len) {
  return addr != NULL && len >= (socklen_t)sizeof(struct sockaddr_in) && addr->sa_family == AF_INET;
}

static int is_loopback_v4(in_addr_t a) { return (ntohl(a) >> 24) == 127; }

int socket(int domain, int type, int protocol) {
  init();
  if (!real_socket) {
    errno = ENOSYS;
    return -1;
  }
  if (pod_ip && domain == AF_INET6) {
    errno = EAFNOSUPPORT;
    return -1;
  }
  return real_socket(domain, type, protocol);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  init();
  if (!real_bind) {
    errno = ENOSYS;
    return -1;
  }
  if (pod_ip && is_inet(addr, len)) {
    struct sockaddr_in in;
    memcpy(&in, addr, sizeof in);
    if (in.sin_addr.s_addr == htonl(INADDR_ANY) || in.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
      in.sin_addr.s_addr = pod_ip;
      return real_bind(fd, (const struct sockaddr *)&in, sizeof in);
    }
  }
  return real_bind(fd, addr, len);
}

/*
 * Gives an unbound TCP socket the pod IP as its source before it connects to a loopback address. Any
 * failure here is ignored (errno restored): the connect then simply proceeds from the kernel's choice.
 */
static void bind_source(int fd, in_addr_t dest) {
  if (!is_loopback_v4(dest)) return;
  int saved = errno;
  int type = 0;
  socklen_t tlen = sizeof type;
  struct sockaddr_in local;
  socklen_t llen = sizeof local;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 && type == SOCK_STREAM &&
      getsockname(fd, (struct sockaddr *)&local, &llen) == 0 && local.sin_family == AF_INET &&
      local.sin_port == 0 && local.sin_addr.s_addr == htonl(INADDR_ANY)) {
    int one = 1;
    /* defer the port choice to connect() so that sources do not use up the ephemeral range per address */
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in src;
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = pod_ip;
    real_bind(fd, (const struct sockaddr *)&src, sizeof src);
  }
  errno = saved;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  init();
  if (!real_connect) {
    errno = ENOSYS;
    return -1;
  }
  if (pod_ip && is_inet(addr, len)) {
    struct sockaddr_in in;
    memcpy(&in, addr, sizeof in);
    if (in.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) in.sin_addr.s_addr = pod_ip;
    bind_source(fd, in.sin_addr.s_addr);
    return real_connect(fd, (const struct sockaddr *)&in, sizeof in);
  }
  return real_connect(fd, addr, len);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len) {
  init();
  if (!real_sendto) {
    errno = ENOSYS;
    return -1;
  }
  if (pod_ip && is_inet(addr, len)) {
    struct sockaddr_in in;
    memcpy(&in, addr, sizeof in);
    if (in.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
      in.sin_addr.s_addr = pod_ip;
      return real_sendto(fd, buf, n, flags, (const struct sockaddr *)&in, sizeof in);
    }
  }
  return real_sendto(fd, buf, n, flags, addr, len);
}
