#!/usr/bin/env node
// Takes docs/answer-card.png: the bot's answer card as the Microsoft 365 Agents Playground
// (a Teams stand-in) renders it in headless Chromium.
//
//   node tests/playground/screenshot.js [--out PATH] [--question TEXT] [--today YYYY-MM-DD]
//
// Needs: scripts/setup (the venv and `npm ci` here), and Debian's chromium
// (apt-get install -y chromium fonts-liberation fonts-noto-color-emoji). It starts the real
// bot server (`python -m bot serve`, in-memory state, no analytics) and the Playground on
// free loopback ports, types the question into the Playground's chat box like a user,
// waits for the answer card and saves a screenshot. Every request the page makes outside
// 127.0.0.1 (the UI's CDN fonts) is blocked, so the run is offline and repeatable.
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const HERE = __dirname;
const ROOT = path.resolve(HERE, "..", "..");
const PLAYGROUND_CLI = path.join(HERE, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PYTHON = process.env.PYTHON || path.join(ROOT, ".venv", "bin", "python");

function parseArgs(argv) {
  const args = { out: path.join(ROOT, "docs", "answer-card.png"), question: "När ska löneunderlaget vara inne?", today: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === "--out") args.out = path.resolve(value);
    else if (key === "--question") args.question = value;
    else if (key === "--today") args.today = value;
    else throw new Error(`unknown option ${key}`);
  }
  return args;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The Playground writes devTools/*.log into its working directory: run it in the log folder.
function start(name, command, args, env, cwd, logDir) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), "w");
  // detached: its own process group, so stopping it stops exactly what we started
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", log, log], detached: true });
  child.logPath = path.join(logDir, `${name}.log`);
  child.label = name;
  return child;
}

function stop(child) {
  if (child && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
}

async function waitForUrl(url, child, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${child.label} exited with ${child.exitCode}:\n${fs.readFileSync(child.logPath, "utf8")}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${child.label} did not answer ${url} within ${seconds}s:\n${fs.readFileSync(child.logPath, "utf8")}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  for (const [what, file] of [["Chromium", CHROMIUM], ["the Playground (npm ci in tests/playground)", PLAYGROUND_CLI], ["the venv (scripts/setup)", PYTHON]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "answer-card-"));
  const [botPort, pgPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${pgPort}`;
  const botEnv = { ...process.env, BOT_STATE_PATH: "memory", BOT_ANALYTICS_PATH: "memory", HOST: "127.0.0.1" };
  for (const key of Object.keys(botEnv)) if (key.startsWith("MicrosoftApp")) delete botEnv[key];
  if (args.today) botEnv.BOT_TODAY = args.today;
  const pgEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: "none", NODE_OPTIONS: `--require ${path.join(HERE, "loopback-only.js")}` };

  const children = [];
  let browser;
  try {
    children.push(start("bot", PYTHON, ["-m", "bot", "serve", "--port", String(botPort)], botEnv, ROOT, logDir));
    children.push(
      start("playground", process.execPath, [PLAYGROUND_CLI, "-e", `http://127.0.0.1:${botPort}/api/messages`, "-c", "msteams",
        "-p", String(pgPort), "--disable-telemetry", "--service-url", `${base}/_connector`], pgEnv, logDir, logDir),
    );
    await waitForUrl(`http://127.0.0.1:${botPort}/healthz`, children[0]);
    await waitForUrl(`${base}/_debug/ping`, children[1]);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh temporary profile (--user-data-dir).
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
    await page.route("**/*", (route) =>
      new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
    );
    await page.goto(`${base}/`, { waitUntil: "load" });
    // The UI installs the app in personal chat on load: wait for the welcome card.
    await page.getByText("Löneservice-assistenten").first().waitFor({ timeout: 30000 });
    const closeLog = page.getByText("Log Panel", { exact: true }).locator("..").getByRole("button").last();
    if (await closeLog.count()) await closeLog.click();

    const cardsBefore = await page.locator(".ac-adaptiveCard").count();
    await page.getByRole("textbox").first().fill(args.question);
    await page.keyboard.press("Enter");
    const answer = page.locator(".ac-adaptiveCard").nth(cardsBefore);
    await answer.waitFor({ timeout: 30000 });
    await answer.getByText(/Källa:/).waitFor({ timeout: 10000 });
    await answer.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500); // let the chat finish scrolling
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    await page.screenshot({ path: args.out });
    console.log(`wrote ${path.relative(process.cwd(), args.out)}`);
  } finally {
    if (browser) await browser.close();
    children.forEach(stop);
  }
}

main().catch((error) => {
  console.error(`screenshot failed: ${error.message}`);
  process.exit(1);
});
