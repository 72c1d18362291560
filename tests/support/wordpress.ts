// A throwaway WordPress site from Debian's `wordpress` package (/usr/share/wordpress), on its own
// MariaDB database, driven by one PHP process per job: install the site (wp_install, no network),
// make Ultimate Multisite's exact wp_remote_post calls, wp_json_encode values, drop the database.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { commandWorks, need } from './requirements.js';
import { tempDir } from './server.js';

const WORDPRESS_DIR = '/usr/share/wordpress';

/** MariaDB for tests: root without a password on 127.0.0.1:3306 (this project's machines, CI). */
const mariadb = new URL(process.env.UMHOOKS_TEST_MARIADB ?? 'mysql://root@127.0.0.1:3306');
const database = {
  host: mariadb.hostname,
  port: Number(mariadb.port || 3306),
  user: decodeURIComponent(mariadb.username),
  password: decodeURIComponent(mariadb.password),
};

function phpWorks(code: string): boolean {
  return commandWorks('php', ['-r', code]);
}

const connectArgs = [database.host, database.user, database.password, '']
  .map((value) => JSON.stringify(value))
  .concat(String(database.port))
  .join(', ');
const phpConnect = `mysqli_report(MYSQLI_REPORT_OFF); exit(@mysqli_connect(${connectArgs}) ? 0 : 1);`;

/** Whether the WordPress tests run here; each missing piece says how to get it. */
export function wordpressAvailable(): boolean {
  const php = need('php', commandWorks('php', ['-v']), 'apt-get install php-cli');
  const extensions =
    php &&
    need(
      'PHP curl and mysqli extensions',
      phpWorks('exit(extension_loaded("curl") && extension_loaded("mysqli") ? 0 : 1);'),
      'apt-get install php-curl php-mysql',
    );
  const wordpress = need(
    `WordPress in ${WORDPRESS_DIR}`,
    fs.existsSync(path.join(WORDPRESS_DIR, 'wp-settings.php')),
    'apt-get install wordpress',
  );
  const db =
    extensions &&
    need(
      `MariaDB at ${database.host}:${database.port} (user ${database.user})`,
      phpWorks(phpConnect),
      'apt-get install mariadb-server, then `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd` (or point UMHOOKS_TEST_MARIADB at a server: mysql://user:password@host:port)',
    );
  return Boolean(php && extensions && wordpress && db);
}

export interface WordPressPost {
  url: string;
  /** The payload before the plugin adds `wu_version`. */
  data: Record<string, unknown>;
  wuVersion: string;
  blocking: boolean;
  /** Top-level keys PHP holds as floats (JSON cannot say so: 29.0 arrives as 29). */
  floatKeys: string[];
}

interface WordPressEncode {
  data: unknown;
  floatKeys: string[];
}

export interface WordPressJob {
  posts: WordPressPost[];
  encode: WordPressEncode[];
}

export interface WordPressResult {
  /** get_bloginfo('version') and get_bloginfo('url'): what the User-Agent names. */
  wpVersion: string;
  siteUrl: string;
  /** Requests' transport that sent each post ("curl" when php-curl is present). */
  transports: string[];
  curlVersion: string;
  posts: Array<{ status?: number; error?: string }>;
  /** wp_json_encode() of each `encode` item. */
  encoded: string[];
}

// The wp-config of the throwaway site: what Debian's /usr/share/wordpress/wp-config.php would
// read from /etc/wordpress/config-<host>.php, written to a temp dir instead, then wp-settings.php
// as a wp-config ends. No cron (it would post to the site), no external HTTP.
function wpConfig(dir: string, dbName: string, siteUrl: string): string {
  const php = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `<?php
define('DB_NAME', ${php(dbName)});
define('DB_USER', ${php(database.user)});
define('DB_PASSWORD', ${php(database.password)});
define('DB_HOST', ${php(`${database.host}:${database.port}`)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('ABSPATH', ${php(WORDPRESS_DIR + '/')});
define('WP_CONTENT_DIR', ${php(path.join(dir, 'wp-content'))});
define('WP_HOME', ${php(siteUrl)});
define('WP_SITEURL', ${php(siteUrl)});
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
${['AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE']
  .flatMap((name) => [`${name}_KEY`, `${name}_SALT`])
  .map((name) => `define('${name}', '${randomBytes(24).toString('hex')}');`)
  .join('\n')}
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
`;
}

// argv: job file, result file, wp-config file. The database is created here and dropped on
// shutdown (which PHP runs after fatal errors too).
const RUNNER = String.raw`<?php
$job = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$db = $job['db'];
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$admin = new mysqli($db['host'], $db['user'], $db['password'], '', $db['port']);
$admin->query('CREATE DATABASE ' . $db['name'] . ' CHARACTER SET utf8mb4'); // a plain [a-z0-9_] name
register_shutdown_function(function () use ($admin, $db) {
    $admin->query('DROP DATABASE IF EXISTS ' . $db['name']);
});

$_SERVER['HTTP_HOST'] = parse_url($job['site_url'], PHP_URL_HOST);
$_SERVER['SERVER_NAME'] = $_SERVER['HTTP_HOST'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require $argv[3];
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// Installing makes no request (it tests pretty permalinks over HTTP), sends no mail and writes
// no .htaccess (Debian links /usr/share/wordpress/.htaccess to /etc/wordpress/htaccess).
$offline = function () { return new WP_Error('http_request_failed', 'offline while installing'); };
add_filter('pre_http_request', $offline);
add_filter('pre_wp_mail', '__return_true');
add_filter('flush_rewrite_rules_hard', '__return_false');
wp_install('umhooks conformance', 'admin', 'admin@example.invalid', false, '', wp_generate_password(24));
remove_filter('pre_http_request', $offline);
wp_installing(false);

function umhooks_php_value(array $item) {
    $data = $item['data'];
    foreach ($item['float_keys'] as $key) {
        if (is_array($data) && isset($data[$key]) && is_int($data[$key])) $data[$key] = (float) $data[$key];
    }
    return $data;
}

$transport = '';
add_action('requests-curl.before_request', function () use (&$transport) { $transport = 'curl'; });
add_action('requests-fsockopen.before_request', function () use (&$transport) { $transport = 'fsockopen'; });

$result = [
    'wpVersion' => get_bloginfo('version'),
    'siteUrl' => get_bloginfo('url'),
    'curlVersion' => curl_version()['version'],
    'transports' => [],
    'posts' => [],
    'encoded' => [],
];
foreach ($job['posts'] as $post) {
    $data = umhooks_php_value($post);
    // Event_Manager::do_event, then Webhook_Manager::send_webhook, as the plugin has them:
    $data['wu_version'] = $post['wu_version'];
    $transport = '';
    $response = wp_remote_post($post['url'], [
        'method' => 'POST',
        'timeout' => 45,
        'redirection' => 5,
        'headers' => ['Content-Type' => 'application/json'],
        'cookies' => [],
        'body' => wp_json_encode($data),
        'blocking' => $post['blocking'],
    ]);
    $result['transports'][] = $transport;
    $result['posts'][] = is_wp_error($response)
        ? ['error' => $response->get_error_message()]
        : ['status' => (int) wp_remote_retrieve_response_code($response)];
}
foreach ($job['encode'] as $item) {
    $result['encoded'][] = wp_json_encode(umhooks_php_value($item));
}
file_put_contents($argv[2], json_encode($result, JSON_THROW_ON_ERROR));
`;

/**
 * Installs a throwaway site whose URL is `siteUrl`, runs `job` in one PHP process, removes the
 * site (database and files) and returns what WordPress reported.
 */
export async function runWordPress(siteUrl: string, job: WordPressJob): Promise<WordPressResult> {
  const dir = tempDir('umhooks-wordpress-');
  const dbName = `umhooks_wp_${process.pid}_${randomBytes(4).toString('hex')}`;
  const files = {
    config: path.join(dir, 'wp-config.php'),
    runner: path.join(dir, 'runner.php'),
    job: path.join(dir, 'job.json'),
    result: path.join(dir, 'result.json'),
  };
  fs.mkdirSync(path.join(dir, 'wp-content'));
  fs.writeFileSync(files.config, wpConfig(dir, dbName, siteUrl));
  fs.writeFileSync(files.runner, RUNNER);
  fs.writeFileSync(
    files.job,
    JSON.stringify({
      db: { ...database, name: dbName },
      site_url: siteUrl,
      posts: job.posts.map((post) => ({
        url: post.url,
        data: post.data,
        wu_version: post.wuVersion,
        blocking: post.blocking,
        float_keys: post.floatKeys,
      })),
      encode: job.encode.map((item) => ({ data: item.data, float_keys: item.floatKeys })),
    }),
  );
  try {
    // Asynchronous: the server WordPress posts to runs in the caller's process.
    await promisify(execFile)('php', [files.runner, files.job, files.result, files.config], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`WordPress run failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    });
    return JSON.parse(fs.readFileSync(files.result, 'utf8')) as WordPressResult;
  } finally {
    // PHP drops the database on shutdown; this covers a PHP that was killed.
    execFileSync('php', [
      '-r',
      `mysqli_report(MYSQLI_REPORT_OFF); $c = @mysqli_connect(${connectArgs});` +
        ` if ($c) mysqli_query($c, 'DROP DATABASE IF EXISTS ${dbName}');`,
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
