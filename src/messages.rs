//! Every message shiji shows an editor, in English and Chinese.
//!
//! **Adding a message**: one entry below, with both languages, then call it by its name:
//! `Diagnostic::new("code", file, at, messages::my_message(x)).hint(messages::my_hint())`.
//! Each argument is put in by name (`{x}`); a template that leaves an argument out, or an
//! entry without both languages, does not compile, and `tests::every_message_has_both_languages`
//! checks that the Chinese is Chinese. Values that are words themselves (a kind of value, a
//! list) are passed as [`Text`](crate::i18n::Text) and come out in the right language; counts
//! as [`Count`](crate::i18n::Count) ("1 problem", "2 problems", "2 个问题"). A new problem
//! code also goes into `diagnostics::CODES` and docs/errors.md.
//!
//! Chinese style: quote values and keys with backticks as in English (the snippet shows
//! them), use full-width punctuation in sentences, and say what to write, not only what is
//! wrong.

use crate::i18n::{Count, Text, catalogue};

catalogue! {
    // ---- Words put into other messages ----
    value_nothing() en: "nothing", zh: "空值";
    value_bool() en: "true/false", zh: "true/false";
    value_number() en: "a number", zh: "数字";
    value_text() en: "text", zh: "文字";
    value_list() en: "a list", zh: "列表";
    value_mapping() en: "a mapping", zh: "映射（字段: 值）";
    expect_text() en: "text", zh: "文字";
    expect_count() en: "a whole number 0 or more", zh: "0 或更大的整数";
    expect_integer() en: "a whole number", zh: "整数";
    expect_amount() en: "a number 0 or more", zh: "0 或更大的数";
    expect_bool() en: "true or false", zh: "true 或 false";
    expect_list() en: "a list", zh: "列表";
    expect_mapping() en: "a mapping", zh: "映射（字段: 值）";
    expect_string() en: "a string", zh: "字符串";
    expect_date_string() en: "a date such as \"2018-10-24\"", zh: "日期，例如 \"2018-10-24\"";
    expect_table() en: "a table", zh: "表";
    expect_string_list() en: "a list of strings", zh: "字符串列表";
    expect_category_tables() en: "a list of [[categories]] tables", zh: "[[categories]] 表的列表";
    what_date() en: "a date YYYY-MM-DD", zh: "日期，格式 YYYY-MM-DD";
    what_party(allowed: Text) en: "a mapping with one of {allowed}", zh: "含 {allowed} 之一的映射";
    what_id() en: "an id", zh: "编号";
    what_own_id() en: "each record of a file with several records needs its own id", zh: "一个文件里有多条记录时，每条都要有自己的编号";
    party_none() en: "none", zh: "一个也没有";
    kind_street() en: "street", zh: "街道";
    kind_community() en: "community", zh: "社区";
    kind_unit() en: "unit", zh: "驻区单位";
    kind_agreement() en: "agreement", zh: "共建协议";
    kind_item() en: "item", zh: "认领事项";
    kind_report() en: "report", zh: "完成报告";
    kind_evaluation() en: "evaluation", zh: "评价";
    kind_page() en: "page", zh: "页面";
    personal_phone() en: "a mobile phone number", zh: "手机号码";
    personal_id_number() en: "a resident ID number", zh: "居民身份证号码";
    personal_email() en: "a personal e-mail address", zh: "个人电子邮箱";
    static_outside() en: "is not a path inside static/", zh: "不是 static/ 里的路径";
    static_missing() en: "is not a file under static/", zh: "在 static/ 下找不到这个文件";

    level_error() en: "error", zh: "错误";
    cell_holds(cell: &str, value: &str) en: "{cell} holds `{value}`", zh: "{cell} 单元格的内容是 `{value}`";
    level_note() en: "note", zh: "说明";
    level_help() en: "help", zh: "提示";

    // ---- Common hints ----
    did_you_mean(s: &str) en: "did you mean `{s}`?", zh: "是不是想写 `{s}`？";
    static_hint() en: "paths are relative to the site's static/ folder: `photos/a.jpg` means static/photos/a.jpg",
        zh: "路径从网站的 static/ 文件夹算起：`photos/a.jpg` 指 static/photos/a.jpg";

    // ---- Files and folders ----
    unexpected_file() en: "only .yaml, .yml and .md files and spreadsheets (.xlsx, .xls, .ods, .csv) belong under content/",
        zh: "content/ 下只能放 .yaml、.yml、.md 文件和电子表格（.xlsx、.xls、.ods、.csv）";
    unexpected_file_hint() en: "photos and scanned documents go in static/ and are referenced by their path there",
        zh: "照片和扫描件放在 static/ 里，记录中写它在那里的路径";
    no_content() en: "the site has no content/ folder", zh: "网站没有 content/ 文件夹";
    no_content_hint() en: "records go in content/<kind>/, e.g. content/items/fix-tap.yaml",
        zh: "记录放在 content/<类别>/ 里，例如 content/items/fix-tap.yaml";
    file_at_content_top() en: "a file directly under content/ belongs to no kind",
        zh: "直接放在 content/ 下的文件不属于任何类别";
    file_at_content_top_hint(kinds: &str) en: "move it into one of the kind folders: {kinds} (a workbook .xlsx may stay here when its sheets are named by kind, such as 事项)",
        zh: "请把它移到以下某个类别文件夹里：{kinds}（工作簿 .xlsx 的工作表按类别命名时，例如“事项”，可以留在这里）";
    unknown_kind_folder(name: &str) en: "`{name}` is not a kind of record", zh: "`{name}` 不是记录的类别";
    unknown_kind_folder_hint(kinds: &str) en: "the folders under content/ are: {kinds}; photos and documents go in static/",
        zh: "content/ 下的文件夹只能是：{kinds}；照片和文件放在 static/ 里";
    outside_link() en: "a symbolic link to a file or folder outside the site folder",
        zh: "这是指向网站文件夹以外的文件或文件夹的符号链接";
    outside_link_hint() en: "copy what it should publish into the site folder instead; shiji publishes nothing from outside the site",
        zh: "请把要发布的内容复制到网站文件夹里；shiji 不发布网站文件夹以外的任何东西";
    active_svg() en: "the SVG holds a script, an event handler (such as onload=) or a javascript: link, which would run on the portal's site",
        zh: "这个 SVG 含有脚本、事件处理属性（如 onload=）或 javascript: 链接，会在门户网站上运行";
    active_svg_hint() en: "export the drawing again without scripts or interactivity, or publish it as PNG or JPEG",
        zh: "请重新导出不带脚本和交互的图，或改用 PNG、JPEG 发布";
    control_character(what: Text) en: "the file holds the invisible character {what}",
        zh: "文件里有看不见的{what}";
    control_character_hint() en: "delete it (it often comes with text pasted from Word or a web page); line breaks are plain line feeds",
        zh: "请删掉它（常随从 Word 或网页粘贴的文字混入）；换行只用普通换行符";
    char_named(code: &str, name: Text) en: "{code} ({name})", zh: "字符 {code}（{name}）";
    char_nul() en: "NUL", zh: "空字符 NUL";
    char_lone_cr() en: "a carriage return without a line feed", zh: "后面没有换行的回车符";
    char_esc() en: "ESC", zh: "转义字符 ESC";
    char_nel() en: "NEL, next line", zh: "下一行符 NEL";
    char_line_separator() en: "line separator", zh: "行分隔符";
    char_paragraph_separator() en: "paragraph separator", zh: "段分隔符";
    workbook_cannot_open(e: String) en: "the workbook cannot be opened ({e})", zh: "无法打开这个工作簿（{e}）";
    sheet_cannot_read(name: &str, e: String) en: "the sheet `{name}` cannot be read ({e})", zh: "无法读取工作表 `{name}`（{e}）";
    csv_cannot_read(e: String) en: "the CSV cannot be read ({e})", zh: "无法读取这个 CSV 文件（{e}）";
    workbook_unreadable_hint() en: "save it again from Excel or WPS as .xlsx (or as CSV), and close any password on it",
        zh: "请用 Excel 或 WPS 重新另存为 .xlsx（或 CSV），并取消密码保护";
    unknown_sheet(name: &str) en: "the sheet `{name}` names no kind of record", zh: "工作表名 `{name}` 不是任何一类记录";
    unknown_sheet_hint(names: String) en: "rename the sheet to one of {names} (or its English key, such as items), start its name with `_` to keep it as a note, or put the workbook in a kind folder such as content/items/",
        zh: "请把工作表改名为 {names} 之一（或英文名，如 items）；要留作备注的工作表，名字以 `_` 开头；或者把工作簿放进类别文件夹，如 content/items/";
    column_without_header() en: "a column with values has no header", zh: "这一列有内容，但没有表头";
    column_without_header_hint() en: "write the field's name or its Chinese label in row 1 (docs/ledgers.md lists them)",
        zh: "请在第 1 行写上字段名或中文表头（docs/ledgers.md 列出了所有表头）";
    column_twice(key: &str) en: "the column `{key}` is there twice", zh: "`{key}` 这一列出现了两次";
    column_twice_hint() en: "keep one of the two columns", zh: "请只保留其中一列";
    columns_of_sheet(list: String) en: "the columns of this sheet are: {list}", zh: "这张工作表的列有：{list}";
    unknown_column(name: &str) en: "unknown column `{name}`", zh: "不认识的列 `{name}`";
    sheet_without_parent(name: &str, parent: &str) en: "the sheet `{name}` has no column `{parent}` naming the record of each row",
        zh: "工作表 `{name}` 没有 `{parent}` 列，看不出每行属于哪条记录";
    sheet_without_parent_hint(label: &str, parent: &str) en: "add a column {label} ({parent}) with the id of each row's record",
        zh: "请加一列 {label}（{parent}），填每行所属记录的编号";
    row_of_no_record(kind: &str, id: &str) en: "no record of {kind} in this workbook has the id `{id}`",
        zh: "这个工作簿的{kind}里没有编号为 `{id}` 的记录";
    row_of_no_record_hint() en: "a row of this sheet belongs to a record of the same workbook: write that record's id",
        zh: "这张表的每一行都属于同一工作簿里的一条记录：请填那条记录的编号";
    sheet_without_id(name: &str) en: "the sheet `{name}` has no id column", zh: "工作表 `{name}` 没有编号列";
    sheet_without_id_hint() en: "add a column 编号 (id) with each record's id: lower-case letters a-z, digits and `-`",
        zh: "请加一列“编号”（id），填每条记录的编号：小写字母 a-z、数字和 `-`";
    cell_error(e: String) en: "the cell shows the spreadsheet error {e}", zh: "单元格显示的是表格错误 {e}";
    cell_error_hint() en: "write the value itself, not a formula that fails", zh: "请直接填写数值，不要用会出错的公式";
    unreadable(e: String) en: "cannot read: {e}", zh: "无法读取：{e}";
    not_utf8() en: "the file is not UTF-8 (often GBK, saved by WPS, Excel or Notepad)",
        zh: "文件不是 UTF-8 编码（常见的是 WPS、Excel 或记事本存成的 GBK）";
    not_utf8_hint() en: "save it again as UTF-8 (in WPS/Notepad: Save As → encoding UTF-8); shiji does not guess other encodings",
        zh: "请另存为 UTF-8（WPS、记事本：另存为 → 编码选 UTF-8）；shiji 不会猜测其他编码";
    personal(value: &str, what: Text) en: "`{value}` looks like {what}, which must not be published",
        zh: "`{value}` 像是{what}，不能公开发布";
    personal_hint() en: "remove it; if it is a public number (an office hotline), list it in site.toml under [privacy] allow = [...] (in any written form)",
        zh: "请删掉；如果是公开的号码（如办公电话），把它写进 site.toml 的 [privacy] allow = [...]（怎么写都可以）";
    personal_in_file_name(value: &str, what: Text) en: "the file name holds `{value}`, which looks like {what} and would be published in the site's addresses",
        zh: "文件名里有 `{value}`，像是{what}，会出现在网站的网址里";
    personal_in_file_name_hint() en: "rename the file: the names of record files and of files under static/ become the addresses of the site",
        zh: "请给文件改名：记录文件和 static/ 下文件的名字会成为网站的网址";
    front_matter_open() en: "a Markdown record must start with a line `---` opening its front matter",
        zh: "Markdown 记录的第一行必须是 `---`，开始字段部分";
    front_matter_unclosed() en: "the front matter is not closed: add a line `---` after the last field",
        zh: "字段部分没有结束：请在最后一个字段后加一行 `---`";
    front_matter_hint() en: "a .md record is: `---`, the YAML fields, `---`, then the Markdown body",
        zh: ".md 记录的写法：一行 `---`，各字段，再一行 `---`，然后是正文";
    duplicate_key(key: &str) en: "the field `{key}` is written twice", zh: "字段 `{key}` 写了两次";
    duplicate_key_hint() en: "each field may appear once in a record; remove or rename one of them",
        zh: "每个字段在一条记录里只能写一次；请删掉或改名其中一个";
    yaml_syntax(detail: Text) en: "the YAML cannot be read: {detail}", zh: "YAML 格式有误：{detail}";
    yaml_syntax_hint() en: "check indentation (spaces, not tabs), colons after keys, and closing brackets and quotes",
        zh: "请检查缩进（用空格，不用 Tab）、字段名后的英文冒号，以及括号和引号是否成对";
    empty_file() en: "the file holds no record", zh: "文件里没有记录";
    empty_file_hint() en: "write the record's fields, or delete the file (or start its name with `_` to keep it as a note)",
        zh: "请写上记录的字段，或删除这个文件（想留作备注的，文件名以 `_` 开头）";
    not_a_mapping_entry(what: Text) en: "each record must be a mapping of fields, not {what}",
        zh: "每条记录必须是“字段: 值”的映射，而不是{what}";
    not_a_mapping_entry_hint() en: "write each record as `- id: ...` followed by its fields",
        zh: "每条记录写成 `- id: ...`，下面跟着它的字段";
    not_a_mapping(what: Text) en: "a record must be a mapping of fields, not {what}",
        zh: "记录必须是“字段: 值”的映射，而不是{what}";
    not_a_mapping_hint() en: "write `field: value` lines", zh: "请写成一行一个 `字段: 值`";

    // ---- YAML syntax, in words (the parser's own words are English) ----
    yaml_mapping_values() en: "a `key: value` where it cannot be (often a missing space after a colon, or a colon inside a value)",
        zh: "此处不能出现 `字段: 值`（常见原因：冒号后少了空格，或值里有冒号）";
    yaml_bad_token() en: "a character that cannot start a value here", zh: "此处的字符不能作为值的开头";
    yaml_block_end() en: "the indentation does not line up with the lines above", zh: "缩进与上面几行没有对齐";
    yaml_simple_key() en: "a key whose colon is missing", zh: "字段名后面缺少冒号";
    yaml_unclosed() en: "a quote or bracket is not closed", zh: "引号或括号没有成对";
    yaml_other(raw: String) en: "{raw}", zh: "{raw}（YAML 解析器原文）";

    // ---- Slips of a Chinese keyboard ----
    slip_colon(key: &str) en: "full-width colon `：` after `{key}`: YAML needs the ASCII colon `:`",
        zh: "`{key}` 后面是全角冒号 `：`，YAML 要用半角（英文）冒号 `:`";
    slip_colon_hint(key: &str) en: "write `{key}: ` (ASCII colon, then a space); switch the input method to English punctuation",
        zh: "请改成 `{key}: `（半角冒号加一个空格）；可把输入法切换到英文标点";
    slip_comma() en: "full-width comma `，` between list entries: YAML needs the ASCII comma `,`",
        zh: "列表项之间是全角逗号 `，`，YAML 要用半角（英文）逗号 `,`";
    slip_comma_hint() en: "write `[a, b]` with ASCII commas, or one entry per line as `- a`",
        zh: "请写成半角逗号的 `[a, b]`，或每行一项 `- a`";
    slip_space() en: "indented with the full-width space `　`: YAML indents with ASCII spaces",
        zh: "用了全角空格 `　` 缩进，YAML 只能用半角空格缩进";
    slip_space_hint() en: "replace each full-width space with two ASCII spaces",
        zh: "请把每个全角空格换成两个半角空格";
    slip_quote() en: "full-width quotes `“”` around a value: YAML needs ASCII quotes `\"` or none",
        zh: "值两边是全角引号 `“”`，YAML 要用半角引号 `\"`，或者不加引号";
    slip_quote_hint() en: "remove the quotes, or write ASCII `\"` quotes", zh: "请去掉引号，或改用半角引号 `\"`";
    slip_tab() en: "a tab in the indentation: YAML indents with spaces only", zh: "缩进里有 Tab，YAML 只能用空格缩进";
    slip_tab_hint() en: "replace the tab (shown as →) with spaces", zh: "请把 Tab（显示为 →）换成空格";

    // ---- Ids and fields ----
    invalid_id(id: &str) en: "`{id}` is not a valid id", zh: "`{id}` 不是有效的编号";
    invalid_id_hint() en: "ids use lower-case letters a-z, digits and `-`, start with a letter or digit, and have at most 64 characters",
        zh: "编号只能用小写字母 a-z、数字和 `-`，以字母或数字开头，最多 64 个字符";
    invalid_file_id(stem: &str) en: "the file name `{stem}` is not a valid id", zh: "文件名 `{stem}` 不是有效的编号";
    invalid_file_id_hint() en: "rename the file with lower-case letters a-z, digits and `-` (e.g. tax-bureau.yaml), or write an `id:` field",
        zh: "请用小写字母 a-z、数字和 `-` 重命名文件（例如 tax-bureau.yaml），或写一个 `id:` 字段";
    body_twice() en: "the record has a `body:` field and a Markdown body", zh: "记录既有 `body:` 字段，又有 Markdown 正文";
    body_twice_hint() en: "keep one: remove the `body:` field or the text after the front matter",
        zh: "只留一个：删掉 `body:` 字段，或删掉字段部分后面的正文";
    external_image(src: &str) en: "the image `{src}` is on another site", zh: "图片 `{src}` 在其他网站上";
    external_image_hint() en: "pages load nothing from outside: put the picture under static/ and link it by its path there, e.g. ![说明](photos/x.jpg)",
        zh: "页面不加载站外内容：请把图片放进 static/，用它在那里的路径引用，例如 ![说明](photos/x.jpg)";
    image_problem(src: &str, problem: Text) en: "the image `{src}` {problem}", zh: "图片 `{src}` {problem}";
    wrong_type(name: &str, expected: Text, got: Text) en: "`{name}` must be {expected}, not {got}",
        zh: "`{name}` 应为{expected}，而不是{got}";
    wrong_type_hint(name: &str, expected: Text) en: "write {expected} after `{name}:`", zh: "请在 `{name}:` 后面写{expected}";
    missing_field(name: &str) en: "required field `{name}` is missing", zh: "缺少必填字段 `{name}`";
    missing_field_hint(name: &str, what: Text) en: "add `{name}: ...` ({what})", zh: "请加上 `{name}: ...`（{what}）";
    invalid_date(name: &str, text: &str) en: "`{name}: {text}` is not a real date", zh: "`{name}: {text}` 不是有效的日期";
    invalid_date_hint() en: "write the date as YYYY-MM-DD, e.g. 2018-06-30, and check the day exists in that month",
        zh: "日期请写成 YYYY-MM-DD，例如 2018-06-30，并确认那个月有这一天";
    date_form(name: &str, text: &str) en: "`{name}: {text}` is not written as YYYY-MM-DD", zh: "`{name}: {text}` 不是 YYYY-MM-DD 格式";
    date_form_hint(name: &str, date: String) en: "write `{name}: {date}`", zh: "请写成 `{name}: {date}`";
    invalid_enum(name: &str, value: &str) en: "`{name}: {value}` is not an allowed value", zh: "`{name}: {value}` 不是允许的值";
    allowed(list: String) en: "allowed: {list}", zh: "可以写：{list}";
    did_you_mean_allowed(s: &str, list: String) en: "did you mean `{s}`? allowed: {list}", zh: "是不是想写 `{s}`？可以写：{list}";
    element_not_mapping(name: &str, what: Text) en: "each entry of `{name}` must be a mapping, not {what}",
        zh: "`{name}` 的每一项必须是“字段: 值”的映射，而不是{what}";
    element_not_mapping_hint() en: "write each entry as `- key: value` lines", zh: "每一项写成 `- 字段: 值` 的几行";
    unknown_field(key: &str) en: "unknown field `{key}`", zh: "没有 `{key}` 这个字段";
    fields_here(list: String) en: "the fields here are: {list}", zh: "这里可以写的字段有：{list}";

    // ---- Records ----
    unknown_category(t: &str) en: "category `{t}` is not in site.toml", zh: "site.toml 里没有分类 `{t}`";
    unknown_category_suggest(s: &str, list: String) en: "did you mean `{s}`? categories in site.toml: {list}",
        zh: "是不是想写 `{s}`？site.toml 里的分类有：{list}";
    no_categories() en: "site.toml has no [[categories]]; add one", zh: "site.toml 里还没有 [[categories]]，请先添加";
    use_category(list: String) en: "use a slug or name from site.toml's [[categories]]: {list}",
        zh: "请写 site.toml 中 [[categories]] 的 slug 或名称：{list}";
    unit_not_id(what: Text) en: "each unit must be a unit id, not {what}", zh: "每个单位都应写单位编号，而不是{what}";
    unit_not_id_hint() en: "list unit ids, e.g. units: [tax-bureau, power-company]", zh: "请列出单位编号，例如 units: [tax-bureau, power-company]";
    empty_units() en: "an agreement needs at least one unit", zh: "共建协议至少要有一个签约单位";
    empty_units_hint() en: "list the ids of the units that signed it", zh: "请列出签约单位的编号";
    term_order(s: chrono::NaiveDate, e: chrono::NaiveDate) en: "the term ends ({e}) before it starts ({s})",
        zh: "协议期限的结束日期（{e}）早于开始日期（{s}）";
    term_order_hint() en: "`end` must be the same day as `start` or later", zh: "`end` 必须与 `start` 同一天或更晚";
    due_order(c: chrono::NaiveDate, d: chrono::NaiveDate) en: "`due` ({d}) is before `claimed` ({c})",
        zh: "`due`（{d}）早于 `claimed`（{c}）";
    due_order_hint() en: "the due date must be the day the item was claimed or later", zh: "承诺完成日期必须是认领当天或更晚";
    evaluates_itself(id: &str) en: "`{id}` evaluates itself", zh: "`{id}` 评价了自己";
    evaluates_itself_hint() en: "双评价 is between a community and a unit: the evaluator must be another party",
        zh: "双评价是社区和单位之间的互评：评价方必须是另一方";
    invalid_party(name: &str, allowed: Text, what: Text) en: "`{name}` must name exactly one of {allowed}, but has {what}",
        zh: "`{name}` 必须且只能写 {allowed} 中的一个，现在写了：{what}";
    invalid_party_hint(name: &str, first: &str) en: "e.g. {name}: {{{first}: <id>}}", zh: "例如 {name}: {{{first}: <编号>}}";
    unknown_reference(kind: Text, id: &str) en: "there is no {kind} with id `{id}`", zh: "没有编号为 `{id}` 的{kind}";
    unknown_reference_hint(kind: &str) en: "write the id of a record in content/{kind}/ (its file name without extension, or its `id:`)",
        zh: "请写 content/{kind}/ 里某条记录的编号（不带扩展名的文件名，或它的 `id:`）";
    report_before_claim(date: chrono::NaiveDate, item: &str, claimed: chrono::NaiveDate)
        en: "the report is dated {date} but item `{item}` was only claimed on {claimed}",
        zh: "报告日期是 {date}，但事项 `{item}` 到 {claimed} 才认领";
    report_before_claim_hint() en: "a report's date is the day of delivery, on or after the item's `claimed` date",
        zh: "报告日期是办结（送达）那天，应不早于事项的 `claimed` 日期";
    completed_without_final() en: "the status is `completed` but the item has no final report",
        zh: "状态写了 `completed`（已完成），但这个事项没有办结报告";
    completed_without_final_hint() en: "add a report with the delivery (final: true), or remove `status:` to let shiji derive it",
        zh: "请添加一份办结报告（final: true），或删掉 `status:` 让 shiji 自动推算";
    final_with_status(status: &str) en: "the status is `{status}` but the item has a final report",
        zh: "状态写了 `{status}`，但这个事项已有办结报告";
    final_with_status_hint() en: "remove `status:` (a final report makes it completed), or mark the report `final: false`",
        zh: "请删掉 `status:`（有办结报告即为已完成），或把那份报告标为 `final: false`";
    evaluated_by_doer(id: &str) en: "item `{id}` is evaluated by the party that carried it out",
        zh: "事项 `{id}` 由承办它的一方自己评价";
    evaluated_by_doer_hint() en: "an item is evaluated by those it served: the other party or a resident",
        zh: "事项应由服务对象评价：另一方或居民";
    static_problem(src: &str, problem: Text) en: "the file `{src}` {problem}", zh: "文件 `{src}` {problem}";
    duplicate_id(id: &str, other: &str) en: "the id `{id}` is already used by {other}", zh: "编号 `{id}` 已被 {other} 使用";
    duplicate_id_hint() en: "ids must be unique within a kind: rename this file or change its `id:`",
        zh: "同一类记录的编号不能重复：请重命名这个文件，或修改它的 `id:`";
    reserved_id(id: &str) en: "a page cannot have the id `{id}`: /{id}/ is a section of the site",
        zh: "页面不能用编号 `{id}`：/{id}/ 是网站的一个栏目";
    reserved_id_hint() en: "rename the file (or its `id:`), e.g. about-units", zh: "请重命名文件（或修改 `id:`），例如 about-units";
    agreement_other_community(agreement: &str, its: &str, item: &str)
        en: "agreement `{agreement}` belongs to community `{its}`, not `{item}`",
        zh: "协议 `{agreement}` 属于社区 `{its}`，不属于 `{item}`";
    agreement_other_community_hint() en: "name an agreement of the item's own community, or leave `agreement` out",
        zh: "请写本社区的协议，或不写 `agreement`";
    agreement_lacks_unit(agreement: &str, unit: &str) en: "agreement `{agreement}` does not name unit `{unit}` among its units",
        zh: "协议 `{agreement}` 的签约单位里没有 `{unit}`";
    agreement_lacks_unit_hint() en: "name an agreement that the claiming unit signed, or add the unit to that agreement's `units`",
        zh: "请写认领单位签过的协议，或把该单位加进那份协议的 `units`";

    // ---- site.toml ----
    config_missing(e: String) en: "cannot read site.toml: {e}", zh: "无法读取 site.toml：{e}";
    config_missing_hint() en: "run shiji in the site's folder or pass --root; `shiji new DIR` makes a new site",
        zh: "请在网站文件夹里运行 shiji，或用 --root 指定；`shiji new 文件夹` 可新建网站";
    config_not_utf8() en: "site.toml is not UTF-8", zh: "site.toml 不是 UTF-8 编码";
    config_not_utf8_hint() en: "save the file as UTF-8", zh: "请把文件另存为 UTF-8";
    config_syntax(detail: String) en: "site.toml is not valid TOML: {detail}", zh: "site.toml 格式有误：{detail}";
    config_doc_hint() en: "see the site.toml section of docs/content.md", zh: "写法见 docs/content.md 的 site.toml 一节";
    config_bad_base_url(url: &str) en: "base_url `{url}` is not an http(s) URL or a path starting with /",
        zh: "base_url `{url}` 不是 http(s) 网址，也不是以 / 开头的路径";
    config_base_url_hint() en: "e.g. base_url = \"https://www.example.gov.cn/jcdj/shiji/\"",
        zh: "例如 base_url = \"https://www.example.gov.cn/jcdj/shiji/\"";
    config_bad_language(l: &str) en: "language `{l}` is not one the theme has", zh: "主题没有 `{l}` 这种语言";
    config_language_hint() en: "use \"zh-CN\" or \"en\"", zh: "请写 \"zh-CN\" 或 \"en\"";
    config_notice_days(n: i64) en: "notice.days {n} is out of range", zh: "notice.days {n} 超出范围";
    config_notice_days_hint() en: "use a number of days from 1 to 366, e.g. days = 7", zh: "请填写 1 到 366 之间的天数，如 days = 7";
    config_notice_both() en: "notice.days and notice.start/end both set the 公示期", zh: "notice.days 与 notice.start/end 同时设定了公示期";
    config_notice_both_hint() en: "keep either `days` (counted from as_of) or `start` and `end`", zh: "只保留 days（自数据截至日起算），或只保留 start 和 end";
    config_notice_end_before(e: &str, s: &str) en: "notice.end {e} is before notice.start {s}", zh: "notice.end {e} 早于 notice.start {s}";
    config_notice_end_before_hint() en: "the 公示期 ends on or after the day it starts", zh: "公示期的结束日不能早于开始日";
    config_notice_half(key: &str) en: "notice.{key} is set without the other end of the 公示期", zh: "只写了 notice.{key}，缺少公示期的另一端";
    config_notice_half_hint() en: "set both `start` and `end`, e.g. start = 2018-10-24 and end = 2018-10-30", zh: "请同时写 start 和 end，如 start = 2018-10-24、end = 2018-10-30";
    config_bad_date(name: &str, s: &str) en: "{name} `{s}` is not a real date in the form YYYY-MM-DD", zh: "{name} `{s}` 不是 YYYY-MM-DD 格式的有效日期";
    config_date_hint() en: "e.g. 2018-10-24", zh: "例如 2018-10-24";
    config_items_per_page(n: i64) en: "items_per_page {n} is out of range", zh: "items_per_page {n} 超出范围";
    config_items_per_page_hint() en: "use a number from 1 to 10000", zh: "请写 1 到 10000 之间的数";
    config_unknown_key(name: String) en: "unknown key `{name}` in site.toml", zh: "site.toml 里没有 `{name}` 这一项";
    config_known_keys(list: String) en: "known keys here: {list}", zh: "这里可以写的项有：{list}";
    config_wrong_type(name: &str, expected: Text, got: &str) en: "`{name}` must be {expected}, not {got}",
        zh: "`{name}` 应为{expected}，而不是 {got}";
    config_needs(name: &str) en: "site.toml needs `{name}`", zh: "site.toml 缺少 `{name}`";
    config_needs_hint(name: &str) en: "add a line `{name} = \"...\"`", zh: "请加一行 `{name} = \"...\"`";
    config_empty(name: &str) en: "`{name}` is empty", zh: "`{name}` 是空的";
    config_empty_hint() en: "write a value between the quotes", zh: "请在引号里写上内容";
    category_incomplete() en: "a category needs both `slug` and `name`", zh: "分类要同时有 `slug` 和 `name`";
    category_incomplete_hint() en: "e.g. [[categories]] slug = \"repair\" name = \"水电维修\"",
        zh: "例如 [[categories]] slug = \"repair\" name = \"水电维修\"";
    category_bad_slug(slug: &str) en: "category slug `{slug}` is not a valid id", zh: "分类 slug `{slug}` 不是有效的编号";
    category_bad_slug_hint() en: "use lower-case letters, digits and `-`, starting with a letter or digit",
        zh: "请用小写字母、数字和 `-`，以字母或数字开头";
    category_slug_twice(slug: &str) en: "category slug `{slug}` is used twice", zh: "分类 slug `{slug}` 用了两次";
    category_slug_twice_hint() en: "give each category its own slug", zh: "每个分类的 slug 要各不相同";
    category_name_twice(name: &str) en: "category name `{name}` is used twice", zh: "分类名称 `{name}` 用了两次";
    category_name_twice_hint() en: "give each category its own name", zh: "每个分类的名称要各不相同";

    // ---- Themes, templates, links, output ----
    no_theme(theme: &str) en: "there is no theme `{theme}`", zh: "没有名为 `{theme}` 的主题";
    no_theme_hint(theme: &str) en: "add the folder themes/{theme}/ or use theme = \"default\"",
        zh: "请添加文件夹 themes/{theme}/，或写 theme = \"default\"";
    theme_lacks_language(lang: &str) en: "the theme has no i18n/{lang}.toml", zh: "主题缺少 i18n/{lang}.toml";
    theme_lacks_language_hint(lang: &str) en: "add i18n/{lang}.toml to the theme, or change `language`",
        zh: "请为主题添加 i18n/{lang}.toml，或修改 `language`";
    theme_strings(detail: String) en: "the UI strings cannot be read: {detail}", zh: "界面文字文件无法读取：{detail}";
    theme_strings_hint() en: "each line is `key = \"text\"`", zh: "每行写成 `key = \"文字\"`";
    template_not_utf8() en: "the template is not UTF-8", zh: "模板不是 UTF-8 编码";
    template_problem(detail: String) en: "template problem: {detail}", zh: "模板有误：{detail}（Tera 原文）";
    template_hint() en: "fix the template; docs/templates.md lists the data every template receives",
        zh: "请修改模板；docs/templates.md 列出了每个模板能用的数据";
    broken_link(link: &str, why: Text) en: "the link `{link}` leads nowhere: {why}", zh: "链接 `{link}` 打不开：{why}";
    broken_link_hint(template: &str) en: "the link is in the template {template} or in the Markdown body of the record this page shows",
        zh: "这个链接在模板 {template} 里，或在本页所显示记录的 Markdown 正文里";
    more_pages(n: Count) en: " (and {n} more)", zh: "（另有 {n}）";
    link_outside() en: "leads outside the site", zh: "指向网站以外";
    link_no_target(target: &str) en: "there is no {target}", zh: "没有 {target}";
    link_no_anchor(a: &str) en: "no element has id `{a}` on this page", zh: "本页没有 id 为 `{a}` 的元素";
    link_no_anchor_on(a: &str, target: &str) en: "no element has id `{a}` on {target}", zh: "{target} 上没有 id 为 `{a}` 的元素";
    static_conflict(rel: &str) en: "`{rel}` is also a file shiji makes", zh: "`{rel}` 与 shiji 生成的文件重名";
    photo_copy_conflict(out: &str) en: "this photo's copy `{out}` is also a file of the site", zh: "这张照片的缩小件 `{out}` 与网站里的另一个文件同名";
    photo_unreadable(why: &str) en: "this photo cannot be read as an image: {why}", zh: "这张照片无法作为图片读取：{why}";
    photo_unreadable_hint() en: "open it in an image viewer; if it shows, save it again as JPEG or PNG, else replace it with the original from the phone or camera",
        zh: "请用看图软件打开它；能打开的，重新另存为 JPEG 或 PNG；打不开的，换成手机或相机里的原图";
    photo_format(src: &str) en: "`{src}` is not a JPEG, PNG or WebP photo", zh: "`{src}` 不是 JPEG、PNG 或 WebP 格式的照片";
    photo_format_hint() en: "save the photo as JPEG (.jpg) or PNG (.png); an SVG drawing or a PDF goes in the report's text as a link",
        zh: "请把照片存为 JPEG（.jpg）或 PNG（.png）；SVG 图或 PDF 文件请在报告正文里用链接给出";
    static_conflict_hint() en: "rename or move this file under static/", zh: "请在 static/ 里重命名或移动这个文件";
    output_is_site() en: "the output folder would contain the site itself", zh: "输出文件夹会包含网站本身";
    output_inside(own: &str) en: "the output folder is inside the site's {own}/", zh: "输出文件夹在网站的 {own}/ 里面";
    output_own_hint() en: "choose an output folder of its own, e.g. --output public", zh: "请另选一个输出文件夹，例如 --output public";
    output_write(e: String) en: "cannot write the output: {e}", zh: "无法写入输出：{e}";
    output_write_hint() en: "check that the output folder's parent exists and is writable", zh: "请确认输出文件夹的上级文件夹存在并且可写";
    internal() en: "shiji failed while rebuilding; this is a bug of shiji, please report it",
        zh: "shiji 重新生成时出错；这是 shiji 的缺陷，请报告";
    internal_hint() en: "save a file again to rebuild the whole site", zh: "再保存一次任意文件，即可重新生成整个网站";

    // ---- `--help` ----
    help_about() en: "实绩送到: build the public results site of community co-construction records",
        zh: "实绩送到：把共驻共建的记录生成公开的实绩公示网站";
    help_usage() en: "Usage: ", zh: "用法：";
    help_options_word() en: "[OPTIONS]", zh: "[选项]";
    help_command_word() en: "COMMAND", zh: "命令";
    help_value_lang() en: "LANG", zh: "语言";
    help_value_dir() en: "DIR", zh: "文件夹";
    help_value_url() en: "URL", zh: "网址";
    help_value_address() en: "ADDRESS", zh: "地址";
    help_value_port() en: "PORT", zh: "端口";
    help_value_format() en: "FORMAT", zh: "格式";
    help_commands() en: "Commands", zh: "命令";
    help_options() en: "Options", zh: "选项";
    help_arguments() en: "Arguments", zh: "参数";
    help_help() en: "Print help", zh: "显示帮助";
    help_version() en: "Print version", zh: "显示版本";
    help_lang() en: "The language of messages: zh-CN or en (default: SHIJI_LANG, else the site's `language`)",
        zh: "提示信息的语言：zh-CN 或 en（默认看 SHIJI_LANG，再看网站的 `language`）";
    help_new() en: "Make a small working site with a record of every kind in a new folder",
        zh: "在新文件夹里建一个可直接使用的小网站，每类记录各有一例";
    help_new_dir() en: "The folder to create (must not exist, or be empty)", zh: "要新建的文件夹（不能已存在，或必须是空的）";
    help_build() en: "Check, render and write the site; the old output stays until the new one is complete",
        zh: "检查、生成并写出网站；新网站完整写好之前，旧的输出保持不变";
    help_root() en: "The site's folder, holding site.toml and content/ (default: the current folder)",
        zh: "网站文件夹，含 site.toml 和 content/（默认：当前文件夹）";
    help_output() en: "Where to write the site (default: public/ in the site's folder)", zh: "网站写到哪里（默认：网站文件夹里的 public/）";
    help_base_url() en: "Publish under this URL instead of site.toml's base_url (may include a path)",
        zh: "用这个网址代替 site.toml 的 base_url 发布（可以带路径）";
    help_drafts() en: "Include records marked `draft: true`, marked as drafts on the pages",
        zh: "包括标为 `draft: true` 的草稿记录，页面上标明“草稿”";
    help_quiet() en: "Print nothing on success", zh: "成功时不输出任何信息";
    help_timings() en: "Also print how long each stage took", zh: "同时输出每个阶段的用时";
    help_serve() en: "Build into memory and serve the site with live reload; rebuild what each edit affects",
        zh: "在内存中生成网站并实时预览；每次修改只重新生成受影响的页面";
    help_bind() en: "The address to listen on (default 127.0.0.1: only this machine)", zh: "监听的地址（默认 127.0.0.1：只有本机能访问）";
    help_port() en: "The port (default 1111; 0: any free port, the URL is printed)", zh: "端口（默认 1111；0：任选空闲端口，会输出网址）";
    help_open() en: "Open the site in the browser", zh: "在浏览器中打开网站";
    help_poll() en: "Poll for changes instead of waiting for events (for network drives)", zh: "定时检查文件变化，而不是等待通知（用于网络盘）";
    help_export() en: "Write every record of the site (drafts too) as a ledger workbook (.xlsx), with drop-down lists for every value check would refuse; or one kind as CSV (--kind)",
        zh: "把网站的每条记录（草稿也在内）写成台账工作簿（.xlsx），检查会拒绝的值都做成下拉列表；或者把一类记录写成 CSV（--kind）";
    help_export_kind() en: "The kind of record to export (items, evaluations… or 事项, 评价…): required for CSV",
        zh: "要导出的记录类别（items、evaluations……或 事项、评价……）：导出 CSV 时必须写";
    help_export_file() en: "The file to write: FILE.xlsx, or FILE.csv with --kind", zh: "要写出的文件：文件.xlsx，或加 --kind 的 文件.csv";
    help_value_kind() en: "KIND", zh: "类别";
    help_value_file() en: "FILE", zh: "文件";
    help_check() en: "Validate every record and site.toml; write nothing", zh: "检查每条记录和 site.toml；不写任何文件";
    help_format() en: "How to print problems: human (default) or json", zh: "问题的输出格式：human（默认，给人看）或 json（给程序用）";
    help_content_only() en: "Check records and site.toml only, not templates and links (much faster on a large site: nothing is rendered)",
        zh: "只检查记录和 site.toml，不检查模板和链接（大网站上快得多：不生成页面）";

    // ---- Summary lines and the command line ----
    serve_built(pages: usize, ms: String) en: "built {pages} pages in {ms} ms", zh: "已生成 {pages} 个页面，用时 {ms} 毫秒";
    serve_serving(root: String, url: &str) en: "serving {root} at {url} (Ctrl-C to stop)", zh: "正在预览 {root}：{url} （按 Ctrl-C 停止）";
    serve_rebuilt(pages: usize, files: usize, ms: String) en: "{pages} pages, {files} files in {ms} ms", zh: "{pages} 个页面、{files} 个文件，用时 {ms} 毫秒";
    serve_later(pages: usize, ms: String) en: "then the long lists, {pages} pages in {ms} ms", zh: "随后是长列表，{pages} 个页面，用时 {ms} 毫秒";
    serve_cannot_listen(addr: String, e: String) en: "cannot listen on {addr}: {e} (another port: --port N, or --port 0 for any free one)",
        zh: "无法在 {addr} 监听：{e}（换一个端口：--port N，或 --port 0 任选空闲端口）";
    serve_cannot(what: String) en: "cannot serve: {what}", zh: "无法启动预览：{what}";
    serve_cannot_watch(root: String, e: String) en: "cannot watch {root}: {e}", zh: "无法监视 {root} 的变化：{e}";
    serve_no_browser(e: String, url: &str) en: "cannot open a browser ({e}); open {url} yourself", zh: "无法打开浏览器（{e}）；请自己打开 {url}";
    serve_failed(n: Count, ms: String) en: "{n} in {ms} ms; still serving the last good build", zh: "{n}，用时 {ms} 毫秒；仍在提供上一次成功生成的网站";
    serve_later_failed(n: Count) en: "{n} in the long lists; they keep the figures before it", zh: "长列表中有 {n}；它们仍显示修改前的数字";
    problems_found_build(n: Count) en: "error: {n} found; the output was not changed", zh: "错误：发现 {n}，输出未作改动";
    problems_found_check(n: Count) en: "error: {n} found; nothing was written", zh: "错误：发现 {n}，未写入任何文件";
    elapsed(seconds: String) en: " ({seconds} s)", zh: "（{seconds} 秒）";
    not_a_folder(path: String) en: "error: --root {path} is not a folder", zh: "错误：--root {path} 不是文件夹";
    export_bad_kind() en: "error: --kind must be a kind of record: streets, communities, units, agreements, items, reports, evaluations or pages (or 街道, 社区, 驻区单位, 共建协议, 事项, 完成报告, 评价, 页面)",
        zh: "错误：--kind 必须是一种记录类别：街道、社区、驻区单位、共建协议、事项、完成报告、评价、页面（或 streets、communities、units、agreements、items、reports、evaluations、pages）";
    export_csv_needs_kind() en: "error: a CSV file holds one kind of record: add --kind, e.g. --kind items",
        zh: "错误：一个 CSV 文件只能放一类记录：请加上 --kind，例如 --kind 事项";
    export_done(records: usize, sheets: usize, file: String) en: "exported {records} records in {sheets} sheet(s) → {file}",
        zh: "已导出 {records} 条记录，共 {sheets} 张工作表 → {file}";
    export_problems(n: Count) en: "error: {n} found; nothing was exported (fix them first: a record that cannot be read cannot be written back)",
        zh: "错误：发现 {n}，没有导出任何内容（请先改正：读不出的记录无法写回台账）";
    export_cannot_write(file: String, e: String) en: "error: cannot write {file}: {e}", zh: "错误：无法写入 {file}：{e}";
    error_line(e: String) en: "error: {e}", zh: "错误：{e}";
    built(records: usize, pages: usize, files: usize, unchanged: usize, seconds: String, search: Text, output: String)
        en: "built {records} records into {pages} pages ({files} files, {unchanged} unchanged) in {seconds} s{search} → {output}",
        zh: "已生成：{records} 条记录，{pages} 个页面（{files} 个文件，{unchanged} 个未变），用时 {seconds} 秒{search} → {output}";
    built_search(seconds: String) en: ", search index {seconds} s", zh: "，搜索索引 {seconds} 秒";
    check_ok(records: Count, kinds: Text, statuses: Text, as_of: chrono::NaiveDate)
        en: "ok: {records} ({kinds}); items: {statuses} (as of {as_of})",
        zh: "检查通过：{records}（{kinds}）；事项：{statuses}（截至 {as_of}）";
    new_made(dir: String, n: usize) en: "made a new site in {dir} ({n} files); next: shiji build --root {dir}",
        zh: "已在 {dir} 新建网站（{n} 个文件）；下一步：shiji build --root {dir}";
    new_not_empty(dir: String) en: "{dir} is not empty; choose a new folder", zh: "{dir} 不是空文件夹；请选一个新文件夹";
    new_cannot_read(dir: String, e: String) en: "cannot read {dir}: {e}", zh: "无法读取 {dir}：{e}";
    new_cannot_write(dir: String, e: String) en: "cannot write in {dir}: {e}", zh: "无法写入 {dir}：{e}";
}

#[cfg(test)]
mod tests {
    use super::ENTRIES;

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Names of `{arg}` placeholders in a template, `{{` escapes left out.
    fn placeholders(s: &str) -> Vec<String> {
        let s = s.replace("{{", "").replace("}}", "");
        let mut out: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Both languages are there (the macro insists), the Chinese is Chinese, and both put in
    /// the same values.
    #[test]
    fn every_message_has_both_languages() {
        const SAME_IN_BOTH: &[&str] = &["value_bool"];
        for (name, en, zh) in ENTRIES {
            assert!(!en.trim().is_empty(), "{name}: no English");
            assert!(!zh.trim().is_empty(), "{name}: no Chinese");
            let words_only = placeholders(zh)
                .iter()
                .fold(zh.to_string(), |t, p| t.replace(&format!("{{{p}}}"), ""));
            assert!(
                SAME_IN_BOTH.contains(name) || has_han(&words_only),
                "{name}: the Chinese text has no Chinese words: {zh}"
            );
            assert_eq!(placeholders(en), placeholders(zh), "{name}");
        }
        let mut names: Vec<&str> = ENTRIES.iter().map(|e| e.0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ENTRIES.len(), "a message name is used twice");
    }
}
