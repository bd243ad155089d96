<?php
// cli.php - what the PHP helpers of the Moodle tests share: read `--name=value` options, require the ones the
// helper needs (exit 1 naming the missing one), then load the kit's Moodle (MOODLE_DIR, from env.sh).
//
//   define('CLI_SCRIPT', true);
//   require(__DIR__ . '/cli.php');
//   $opts = moodle_cli_options($argv, ['course', 'user']);
function moodle_cli_options(array $argv, array $needed): array {
    $opts = [];
    foreach (array_slice($argv, 1) as $arg) {
        if (preg_match('/^--([a-z]+)=(.*)$/s', $arg, $m)) {
            $opts[$m[1]] = $m[2];
        }
    }
    foreach ($needed as $name) {
        if (!isset($opts[$name])) {
            fwrite(STDERR, basename($argv[0]) . ": --$name=... is needed\n");
            exit(1);
        }
    }
    return $opts;
}
