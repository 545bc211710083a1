// A proxy that lets nothing through and writes down what tried. VS Code hands the extension host's HTTP(S)
// requests (an extension's `http`, `https` and `fetch`) to the `http.proxy` setting, and Node 24 sends a
// worker thread's or child process's to HTTP(S)_PROXY when NODE_USE_ENV_PROXY=1: with both pointing
// here, any request the extension makes off the machine is recorded and refused.
import { createServer } from 'node:http';

export async function startRefusingProxy() {
  const attempts = [];
  const server = createServer((req, res) => {
    attempts.push({ method: req.method, url: req.url });
    res.writeHead(403).end('refused by the Risk Review test proxy');
  });
  server.on('connect', (req, socket) => {
    attempts.push({ method: 'CONNECT', url: req.url });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    attempts,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
