// Byte pipes that join the test node's network namespace to the control plane on the host's
// loopback without any network interface, route or iptables rule on the host: Unix sockets are
// files, so a process on each side of the namespace boundary meets at one.
//
//   node proxy.mjs tcp-to-unix <host> <port> <socket>   listen on TCP, forward each connection to
//                                                       <socket> (in the node's namespace: kubelet
//                                                       and kube-proxy reach the API server)
//   node proxy.mjs unix-to-tcp <socket> <host> <port>   listen on <socket>, forward to TCP (on the
//                                                       host: the API server's loopback port)
//   node proxy.mjs connect <socket> <prefix>            HTTP CONNECT proxy on <socket> (in the node's
//                                                       namespace: the API server's egress selector
//                                                       reaches kubelet through it); only
//                                                       destinations whose address starts with
//                                                       <prefix> are dialled
import fs from 'node:fs';
import net from 'node:net';

const [mode, ...args] = process.argv.slice(2);

function pipe(a, b) {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

function listenUnix(server, socket) {
  fs.rmSync(socket, { force: true });
  server.listen(socket, () => fs.chmodSync(socket, 0o600));
}

if (mode === 'tcp-to-unix') {
  const [host, port, socket] = args;
  net.createServer((c) => pipe(c, net.connect(socket))).listen(Number(port), host);
} else if (mode === 'unix-to-tcp') {
  const [socket, host, port] = args;
  listenUnix(net.createServer((c) => pipe(c, net.connect(Number(port), host))), socket);
} else if (mode === 'connect') {
  const [socket, prefix] = args;
  listenUnix(net.createServer((c) => {
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 8192) c.destroy();
        return;
      }
      c.off('data', onData);
      const m = /^CONNECT ([^\s:]+|\[[^\]]+\]):(\d+) HTTP\/1\.[01]\r\n/.exec(head.subarray(0, end + 2).toString('latin1'));
      const host = m?.[1].replace(/^\[|\]$/g, '');
      if (!m || !host.startsWith(prefix)) {
        c.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const up = net.connect(Number(m[2]), host, () => {
        c.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) up.write(rest);
        pipe(c, up);
      });
      up.once('error', () => c.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    };
    c.on('data', onData);
    c.on('error', () => {});
  }), socket);
} else {
  console.error('usage: proxy.mjs tcp-to-unix|unix-to-tcp|connect ...');
  process.exit(2);
}
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
