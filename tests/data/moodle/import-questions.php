<?php
// import-questions.php - for tests/formats/test_moodle_restore.py: import a Moodle XML question file into the default
// question bank of an existing course, as Question bank → Import does, and print the categories made.
//
//   php import-questions.php --course=SHORTNAME --file=PATH
//
// Prints JSON {"ok": true, "categories": {name: number of questions}}; exit 1 with Moodle's message when refused.
define('CLI_SCRIPT', true);
require(__DIR__ . '/cli.php');
$opts = moodle_cli_options($argv, []);
$file = realpath($opts['file'] ?? '');
require(getenv('MOODLE_DIR') . '/config.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/question/format/xml/format.php');
\core\session\manager::set_user(get_admin());

$course = $DB->get_record('course', ['shortname' => $opts['course'] ?? ''], '*', MUST_EXIST);
$bank = core_question\local\bank\question_bank_helper::get_default_open_instance_system_type($course, true);
$context = context_module::instance($bank->id);
$format = new qformat_xml();
$format->setContexts([$context]);
$format->setCategory(question_get_default_category($context->id, true));
$format->setCourse($course);
$format->setFilename($file);
$format->setRealfilename(basename($file));
$format->setMatchgrades('error');           // a fraction Moodle does not offer is an error, not rounded
$format->setCatfromfile(true);
$format->setContextfromfile(true);
$format->setStoponerror(true);
$format->set_display_progress(false);
ob_start();
$ok = $format->importpreprocess() && $format->importprocess() && $format->importpostprocess();
$output = trim(strip_tags(ob_get_clean()));
if (!$ok) {
    fwrite(STDERR, "import refused: $output\n");
    exit(1);
}
$rows = $DB->get_records_sql("SELECT qc.name, COUNT(qbe.id) AS n
                                FROM {question_categories} qc
                           LEFT JOIN {question_bank_entries} qbe ON qbe.questioncategoryid = qc.id
                               WHERE qc.contextid = ?
                            GROUP BY qc.name", [$context->id]);
$categories = [];
foreach ($rows as $row) {
    $categories[$row->name] = (int)$row->n;
}
echo json_encode(['ok' => true, 'categories' => $categories], JSON_UNESCAPED_UNICODE), "\n";
