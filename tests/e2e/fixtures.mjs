// What the ticket specs share: files a person would pick, and the API as
// another user (an agent answering) with a token made by the CLI.
import { expect } from './harness.mjs';

// A 1x1 PNG and a 2x1 BMP.
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const BMP = Buffer.concat([Buffer.from('424d3e000000000000003600000028000000020000000100000001001800000000000800000000000000000000000000000000000000', 'hex'), Buffer.alloc(8, 0xff)]);

// const agent = apiAs(server, 'agente@ayuda.localhost');
// await agent(page, 'POST', '/tickets/7/messages', { body: '…' }) -> the JSON answer
export function apiAs(server, email) {
  const tok = server.ayuda(['token', 'create', '--user', email]).trim().split(/\s+/).pop();
  return async (page, method, path, data) => {
    const res = await page.request.fetch(`/api/v1${path}`, { method, data, headers: { Authorization: `Bearer ${tok}` } });
    expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
    return res.json();
  };
}
