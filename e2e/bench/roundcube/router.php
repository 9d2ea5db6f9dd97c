<?php
// Router for PHP's built-in server in front of Debian's Roundcube, so that the benchmark sees
// Roundcube served as its own .htaccess asks Apache to serve it: static files with one month of
// caching (mod_expires) and an ETag (FileETag MTime Size); compression of every response
// (mod_deflate) comes from zlib.output_compression, set on the command line.
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/');
$file = realpath($_SERVER['DOCUMENT_ROOT'] . $path);
if ($path === '/' || str_ends_with($path, '.php') || $file === false || !is_file($file)) {
    return false;
}
$types = [
    'js' => 'text/javascript', 'css' => 'text/css', 'svg' => 'image/svg+xml', 'html' => 'text/html',
    'json' => 'application/json', 'png' => 'image/png', 'gif' => 'image/gif', 'jpg' => 'image/jpeg',
    'ico' => 'image/vnd.microsoft.icon', 'woff' => 'font/woff', 'woff2' => 'font/woff2',
    'ttf' => 'font/ttf', 'eot' => 'application/vnd.ms-fontobject',
];
$ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
$mtime = filemtime($file);
$etag = sprintf('"%x-%x"', filesize($file), $mtime);
header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
header('Cache-Control: max-age=2592000');
header('Expires: ' . gmdate('D, d M Y H:i:s', time() + 2592000) . ' GMT');
header('Last-Modified: ' . gmdate('D, d M Y H:i:s', $mtime) . ' GMT');
header('ETag: ' . $etag);
if (($_SERVER['HTTP_IF_NONE_MATCH'] ?? '') === $etag) {
    http_response_code(304);
    return true;
}
readfile($file);
return true;
