/** Ready-to-paste settings for the clients employees use, pointed at the gateway. */
export interface ClientSetting {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly file: string | null;
  readonly text: string;
}

const KEY_PLACEHOLDER = '<your Stipend key>';

/**
 * `key` is the key just created (shown on that page only) or null for a placeholder; `model`
 * a model the person may call, for the clients that need one named.
 */
export function clientSettings(gatewayUrl: string, key: string | null, model: { readonly openai: string | null; readonly anthropic: string | null }): readonly ClientSetting[] {
  const k = key ?? KEY_PLACEHOLDER;
  const v1 = `${gatewayUrl}/v1`;
  const openaiModel = model.openai ?? 'gpt-4o-mini';
  return [
    {
      id: 'openai',
      title: 'OpenAI SDK (Python, Node, …)',
      note: 'The official SDKs read these two variables; or pass base_url/baseURL and api_key/apiKey to the client. Any model your policy allows works here, Anthropic and Google ones included.',
      file: null,
      text: `export OPENAI_BASE_URL=${v1}\nexport OPENAI_API_KEY=${k}\n\n# Python\nfrom openai import OpenAI\nclient = OpenAI()  # or OpenAI(base_url="${v1}", api_key="…")\n\n// Node\nimport OpenAI from 'openai';\nconst client = new OpenAI(); // or new OpenAI({ baseURL: '${v1}', apiKey: '…' })`,
    },
    {
      id: 'anthropic',
      title: 'Anthropic SDK',
      note: 'The SDK adds /v1/messages itself: the base URL has no /v1.',
      file: null,
      text: `export ANTHROPIC_BASE_URL=${gatewayUrl}\nexport ANTHROPIC_API_KEY=${k}\n\n# Python\nimport anthropic\nclient = anthropic.Anthropic()  # or Anthropic(base_url="${gatewayUrl}", api_key="…")`,
    },
    {
      id: 'claude-code',
      title: 'Claude Code',
      note: 'ANTHROPIC_AUTH_TOKEN is sent as a Bearer token. To keep the key out of your shell profile, put the env block and an apiKeyHelper (a command that prints the key) in ~/.claude/settings.json instead.',
      file: '~/.claude/settings.json',
      text: `export ANTHROPIC_BASE_URL=${gatewayUrl}\nexport ANTHROPIC_AUTH_TOKEN=${k}\n\n# or, in ~/.claude/settings.json:\n{\n  "env": { "ANTHROPIC_BASE_URL": "${gatewayUrl}" },\n  "apiKeyHelper": "cat ~/.config/stipend/key"\n}`,
    },
    {
      id: 'codex',
      title: 'Codex CLI',
      note: 'A custom provider (the id "openai" is reserved for the built-in one); env_key names the variable that holds the key. Codex speaks the Responses API.',
      file: '~/.codex/config.toml',
      text: `model_provider = "stipend"\nmodel = "${openaiModel}"\n\n[model_providers.stipend]\nname = "Stipend"\nbase_url = "${v1}"\nenv_key = "STIPEND_API_KEY"\nwire_api = "responses"\n\n# and in your shell:\nexport STIPEND_API_KEY=${k}`,
    },
    {
      id: 'cursor',
      title: 'Cursor',
      note: "Settings → Models → API Keys: paste the key as the OpenAI API key, turn on Override OpenAI Base URL and enter the URL below. Cursor sends these requests from its own servers, so the gateway must be reachable from the internet for it.",
      file: null,
      text: `OpenAI API Key:            ${k}\nOverride OpenAI Base URL:  ${v1}`,
    },
  ];
}
