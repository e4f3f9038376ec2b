// One chat completion through a Stipend gateway, with only what the image has (fetch):
//   node ask.ts <gateway-url> <key> [--stream] [mock directives, e.g. "mock:tokens=20 mock:delay=200"]
// Prints `<status> <x-request-id> <reply text>` and exits 0 only for a 200 with a reply
// (streamed: one that ended with [DONE]).
const args = process.argv.slice(2);
const [base, key] = args.filter((a) => !a.startsWith('--'));
const directives = args.filter((a) => !a.startsWith('--')).slice(2).join(' ');
if (!base || !key) {
  process.stderr.write('usage: ask.ts <gateway-url> <key> [--stream] [directives]\n');
  process.exit(2);
}
const stream = args.includes('--stream');
const res = await fetch(`${base}/v1/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: `Hello from the image check ${directives}`.trim() }] }),
});
const body = await res.text();
let text = '';
if (res.status === 200 && stream) {
  const frames = body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
  if (frames.at(-1) === '[DONE]') {
    for (const f of frames.slice(0, -1)) text += (JSON.parse(f) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '';
  }
} else if (res.status === 200) {
  text = (JSON.parse(body) as { choices: { message: { content: string } }[] }).choices[0]?.message.content ?? '';
} else {
  text = body.slice(0, 300);
}
process.stdout.write(`${res.status} ${res.headers.get('x-request-id') ?? '-'} ${text.replace(/\s+/g, ' ')}\n`);
process.exit(res.status === 200 && text !== '' ? 0 : 1);
