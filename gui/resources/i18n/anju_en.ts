<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Anju</name>
    <message>
        <location filename="../../about.py" line="42"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../about.py" line="43"/>
        <location filename="../../app.py" line="39"/>
        <source>安居</source>
        <translation>Anju</translation>
    </message>
    <message>
        <location filename="../../about.py" line="44"/>
        <source>易地扶贫搬迁后续扶持的入户排查与跟踪。资料加密保存在本机，联网后与县服务器同步。</source>
        <translation>Door-to-door follow-up of households resettled under the poverty-alleviation relocation programme. The data is kept encrypted on this computer and synced with the county server when online.</translation>
    </message>
    <message>
        <location filename="../../about.py" line="45"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../about.py" line="46"/>
        <source>当前档案文件夹</source>
        <translation>Folder of the open profile</translation>
    </message>
    <message>
        <location filename="../../about.py" line="47"/>
        <source>默认数据文件夹</source>
        <translation>Default data folder</translation>
    </message>
    <message>
        <location filename="../../about.py" line="48"/>
        <location filename="../../main_window.py" line="381"/>
        <source>日志文件夹</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <location filename="../../about.py" line="49"/>
        <source>安居使用并随附以下软件和资料，各按其许可证发布：</source>
        <translation>Anju uses and ships the following software and data, each under its own licence:</translation>
    </message>
    <message>
        <location filename="../../about.py" line="56"/>
        <location filename="../../main_window.py" line="188"/>
        <source>关于安居</source>
        <translation>About Anju</translation>
    </message>
    <message>
        <location filename="../../app.py" line="57"/>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <location filename="../../app.py" line="89"/>
        <source>“%1”里的档案不是演示档案（演示密码打不开它），没有改动它。请不加 --demo 打开它，或给 --demo 换一个文件夹。</source>
        <translation>The profile in “%1” is not a demo profile (the demo password does not open it); it was left untouched. Open it without --demo, or give --demo another folder.</translation>
    </message>
    <message>
        <location filename="../../app.py" line="91"/>
        <source>正在生成演示档案……</source>
        <translation>Creating the demo profile…</translation>
    </message>
    <message>
        <location filename="../../app.py" line="96"/>
        <location filename="../../screenshots.py" line="41"/>
        <source>演示档案</source>
        <translation>Demo profile</translation>
    </message>
    <message>
        <location filename="../../app.py" line="112"/>
        <source>打不开演示档案</source>
        <translation>Cannot open the demo profile</translation>
    </message>
    <message>
        <location filename="../../area_picker.py" line="40"/>
        <source>省、市或县：输入名称或代码查找，如“东莞”</source>
        <translation>Province, city or county: type a name or code, e.g. Dongguan</translation>
    </message>
    <message>
        <location filename="../../area_picker.py" line="41"/>
        <source>县（市、区）：输入名称或代码查找，如“福泉”</source>
        <translation>County (city, district): type a name or code to search, e.g. 522702</translation>
    </message>
    <message>
        <location filename="../../area_picker.py" line="45"/>
        <source>乡镇+村代码</source>
        <translation>Township + village code</translation>
    </message>
    <message>
        <location filename="../../area_picker.py" line="46"/>
        <source>县以下的代码：乡镇3位，或乡镇3位加村3位；本档案有的乡镇和村可从列表中选，没有可不填</source>
        <translation>The code below the county: 3 digits for the township, or 3 for the township and 3 for the village; the townships and villages this profile knows can be chosen from the list; leave empty if unknown</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="24"/>
        <source>同步前</source>
        <translation>Before sync</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="24"/>
        <source>手动</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="24"/>
        <source>每日</source>
        <translation>Daily</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="25"/>
        <source>恢复前</source>
        <translation>Before restore</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="29"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="55"/>
        <source>已自动备份档案（%1）。</source>
        <translation>The profile was backed up automatically (%1).</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="61"/>
        <source>自动备份失败：%1</source>
        <translation>Automatic backup failed: %1</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="80"/>
        <location filename="../../table_models.py" line="30"/>
        <source>人数</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="80"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="80"/>
        <location filename="../../dashboard_parts.py" line="56"/>
        <source>户数</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="80"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="80"/>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="81"/>
        <source>未同步的修改</source>
        <translation>Unsynced changes</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="81"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="88"/>
        <source>备份与恢复</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="91"/>
        <source>档案每天自动备份一次，每次同步前也会备份；备份和档案一样加密，保存在档案文件夹的 backups/rotating 里。恢复一份备份时，尚未同步的修改会保留下来，恢复前的档案也会另存为一份备份。</source>
        <translation>The profile is backed up automatically once a day and before each sync; backups are encrypted like the profile and kept in its folder under backups/rotating. Restoring a backup keeps the changes not yet synced, and the profile as it was is kept as a backup first.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="112"/>
        <source>每种备份保留最近的份数：</source>
        <translation>Backups of each kind to keep:</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="122"/>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="125"/>
        <source>恢复所选备份…</source>
        <translation>Restore selected backup…</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="139"/>
        <source>无法列出备份</source>
        <translation>Cannot list the backups</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="149"/>
        <source>可以恢复</source>
        <translation>Can be restored</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="157"/>
        <source>最近一次自动备份失败：%1</source>
        <translation>The last automatic backup failed: %1</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="160"/>
        <source>这个档案还没有备份。</source>
        <translation>This profile has no backups yet.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="193"/>
        <source>备份失败</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="197"/>
        <source>已备份（%1，用时 %2 秒）。</source>
        <translation>Backed up (%1 in %2 s).</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="206"/>
        <location filename="../../backup_dialog.py" line="209"/>
        <source>不能恢复</source>
        <translation>Cannot restore</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="206"/>
        <source>正在同步。请等同步结束后再恢复备份。</source>
        <translation>A sync is running. Restore the backup once it has finished.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="209"/>
        <source>请先保存并关闭所有打开的表单，再恢复备份。</source>
        <translation>Save and close every open form before restoring a backup.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="213"/>
        <source>恢复备份</source>
        <translation>Restore backup</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="214"/>
        <source>要把档案恢复到 %1 的备份吗？

备份里有 %2 户、%3 人。之后保存、但还没有同步的修改会保留，并重新应用到恢复后的档案上；已经同步的修改在下次同步时会从县服务器重新下载。

恢复前，现在的档案会先另存为一份备份，需要时可以再恢复它。</source>
        <translation>Restore the profile to the backup of %1?

The backup holds %2 households and %3 people. Changes saved after it but not yet synced are kept and applied again to the restored profile; changes already synced come back from the county server with the next sync.

Before the restore, the profile as it is now is kept as a backup, which can be restored in turn if needed.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="222"/>
        <source>正在恢复备份……</source>
        <translation>Restoring the backup…</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="225"/>
        <source>恢复失败</source>
        <translation>Restore failed</translation>
    </message>
    <message numerus="yes">
        <location filename="../../backup_dialog.py" line="229"/>
        <source>已恢复备份。保留了 %n 项尚未同步的修改。</source>
        <translation>
            <numerusform>Backup restored. %n unsynced change was kept.</numerusform>
            <numerusform>Backup restored. %n unsynced changes were kept.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="231"/>
        <source>恢复前的档案已另存为备份“%1”，需要时可以在这里再恢复它。</source>
        <translation>The profile as it was before is kept as the backup “%1”; it can be restored here if needed.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="235"/>
        <source>备份已恢复。</source>
        <translation>Backup restored.</translation>
    </message>
    <message>
        <location filename="../../backup_dialog.py" line="236"/>
        <source>恢复完成</source>
        <translation>Restore finished</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="30"/>
        <source>导出同步包…</source>
        <translation>Export a sync bundle…</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="31"/>
        <source>导入同步包…</source>
        <translation>Import a sync bundle…</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="32"/>
        <source>导出回复包…</source>
        <translation>Export reply bundles…</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="46"/>
        <source>导出同步包</source>
        <translation>Export a sync bundle</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="47"/>
        <location filename="../../bundle_ops.py" line="66"/>
        <source>安居同步包 (%1)</source>
        <translation>Anju sync bundles (%1)</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="54"/>
        <source>没有导出同步包</source>
        <translation>No bundle exported</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="57"/>
        <source>已导出同步包</source>
        <translation>Sync bundle exported</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="57"/>
        <source>已把 %1 项修改写进同步包“%2”。请把这个文件交给村文书（U 盘等），由村文书的电脑导入并转交县服务器；拿到回复包后，用“导入同步包…”导入。在回复到来之前，这些修改仍留在本机，不会丢。</source>
        <translation>Wrote %1 changes into the bundle "%2". Give the file to the village clerk (on a USB stick, for example); the clerk's laptop imports it and forwards it to the county server. When you get the reply bundle back, import it with "Import a sync bundle…". Until then the changes stay on this laptop; nothing is lost.</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="65"/>
        <source>导入同步包</source>
        <translation>Import a sync bundle</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="73"/>
        <source>没有导入</source>
        <translation>Not imported</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="78"/>
        <source>已收下 %1 的同步包。下次同步时（连上县服务器后会自动同步，也可按 F9）转交县服务器；之后用“导出回复包…”把回复交还给 %1。</source>
        <translation>The bundle of %1 is kept. The next sync (on its own once the county server answers, or F9) forwards it to the county server; then hand the reply back to %1 with "Export reply bundles…".</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="78"/>
        <source>已收下同步包</source>
        <translation>Bundle kept</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="87"/>
        <source>回复已导入：县服务器处理了 %1 项修改，收到别人的修改 %2 条。</source>
        <translation>Reply imported: the county server answered %1 changes, and %2 records of others' changes came in.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../bundle_ops.py" line="90"/>
        <source>其中 %n 项被服务器拒绝，已标在各自的记录上。</source>
        <translation>
            <numerusform> %n of them was refused by the server and is marked on its record.</numerusform>
            <numerusform> %n of them were refused by the server and are marked on their records.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="91"/>
        <source>已导入回复包</source>
        <translation>Reply imported</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="96"/>
        <source>把回复包存到哪个文件夹</source>
        <translation>Folder for the reply bundles</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="103"/>
        <source>没有导出回复包</source>
        <translation>No reply exported</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="107"/>
        <source>没有回复包</source>
        <translation>No replies</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="107"/>
        <source>现在没有等待交还的回复包。网格员的同步包要先随一次同步转交县服务器，回复才会到。</source>
        <translation>No reply bundle is waiting to be handed back. A worker's bundle must first go to the county server with a sync; then its reply comes.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../bundle_ops.py" line="110"/>
        <source>已写出 %n 个回复包，请交还给对应的网格员导入：</source>
        <translation>
            <numerusform>Wrote %n reply bundle; hand it back to its worker to import:</numerusform>
            <numerusform>Wrote %n reply bundles; hand each back to its worker to import:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="110"/>
        <source>已导出回复包</source>
        <translation>Replies exported</translation>
    </message>
    <message numerus="yes">
        <location filename="../../bundle_ops.py" line="119"/>
        <source>已把 %n 个网格员的同步包转交县服务器。请用“同步 → 导出回复包…”把回复交还给他们。</source>
        <translation>
            <numerusform>Forwarded %n worker's bundle to the county server. Hand the reply back with Sync → Export reply bundles….</numerusform>
            <numerusform>Forwarded %n workers' bundles to the county server. Hand the replies back with Sync → Export reply bundles….</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="122"/>
        <source>%1 的同步包被县服务器拒绝（已从待转交中去掉）：%2</source>
        <translation>The county server refused the bundle of %1 (removed from those waiting): %2</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="122"/>
        <source>%1 的同步包这次没能转交，下次同步再试：%2</source>
        <translation>The bundle of %1 could not be forwarded this time; the next sync tries again: %2</translation>
    </message>
    <message>
        <location filename="../../bundle_ops.py" line="127"/>
        <source>同步包</source>
        <translation>Sync bundles</translation>
    </message>
    <message>
        <location filename="../../card.py" line="98"/>
        <location filename="../../fields.py" line="218"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../card.py" line="98"/>
        <location filename="../../fields.py" line="218"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../card.py" line="118"/>
        <location filename="../../dashboard_parts.py" line="451"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../card.py" line="126"/>
        <source>另有 %1 条未列出</source>
        <translation>%1 more not listed</translation>
    </message>
    <message>
        <location filename="../../card.py" line="138"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../card.py" line="139"/>
        <location filename="../../table_models.py" line="24"/>
        <source>户主</source>
        <translation>Household head</translation>
    </message>
    <message>
        <location filename="../../card.py" line="147"/>
        <source>基本情况</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <location filename="../../card.py" line="170"/>
        <source>搬迁户信息卡</source>
        <translation>Relocated household card</translation>
    </message>
    <message>
        <location filename="../../card.py" line="172"/>
        <source>家庭成员（%1 人）</source>
        <translation>Household members (%1)</translation>
    </message>
    <message>
        <location filename="../../card.py" line="174"/>
        <location filename="../../main_window.py" line="41"/>
        <source>就业</source>
        <translation>Employment</translation>
    </message>
    <message>
        <location filename="../../card.py" line="176"/>
        <location filename="../../forms/records.py" line="99"/>
        <location filename="../../main_window.py" line="41"/>
        <source>培训</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../../card.py" line="179"/>
        <location filename="../../forms/household.py" line="95"/>
        <location filename="../../forms/household.py" line="95"/>
        <location filename="../../forms/records.py" line="110"/>
        <source>帮扶措施</source>
        <translation>Support measures</translation>
    </message>
    <message>
        <location filename="../../card.py" line="181"/>
        <source>未办结的诉求</source>
        <translation>Open grievances</translation>
    </message>
    <message>
        <location filename="../../card.py" line="183"/>
        <source>最近 %1 次走访</source>
        <translation>Last %1 visits</translation>
    </message>
    <message>
        <location filename="../../card.py" line="191"/>
        <source>身份证号和电话为完整号码，请妥善保管</source>
        <translation>ID numbers and phones in full: keep this card safe</translation>
    </message>
    <message>
        <location filename="../../card.py" line="191"/>
        <source>身份证号和电话已部分遮蔽</source>
        <translation>ID numbers and phones partly masked</translation>
    </message>
    <message>
        <location filename="../../card.py" line="192"/>
        <source>打印日期：%1　户编号：%2　%3</source>
        <translation>Printed: %1　Household no.: %2　%3</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="38"/>
        <location filename="../../forms/household.py" line="130"/>
        <source>打印户卡</source>
        <translation>Print household card</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="42"/>
        <source>正在读取户的资料…</source>
        <translation>Reading the household…</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="46"/>
        <source>表单中尚未保存的修改不会出现在户卡上。</source>
        <translation>Changes not yet saved in the form will not appear on the card.</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="47"/>
        <source>显示完整身份证号和电话</source>
        <translation>Show full ID numbers and phones</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="49"/>
        <source>户卡上将有完整的身份证号、电话和健康状况；打印或保存时记入审计日志。</source>
        <translation>The card will show full ID numbers, phones and health; printing or saving it is written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="61"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="64"/>
        <source>保存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="67"/>
        <location filename="../../forms/base.py" line="131"/>
        <location filename="../../roster_dialog.py" line="160"/>
        <location filename="../../sync_dialogs.py" line="184"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="86"/>
        <source>户 %1 的户卡：A4 纸一页，默认遮蔽身份证号和电话。</source>
        <translation>Card of household %1: one A4 page, ID numbers and phones masked by default.</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="103"/>
        <source>保存户卡</source>
        <translation>Save household card</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="103"/>
        <source>户卡-%1.pdf</source>
        <translation>household-card-%1.pdf</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="104"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="138"/>
        <source>户卡已保存：%1</source>
        <translation>Household card saved: %1</translation>
    </message>
    <message>
        <location filename="../../card_dialog.py" line="138"/>
        <source>户卡已送往打印机。</source>
        <translation>The household card was sent to the printer.</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="112"/>
        <source>范围：</source>
        <translation>Area:</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="117"/>
        <location filename="../../dashboard.py" line="253"/>
        <source>全部</source>
        <translation>All places</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="184"/>
        <location filename="../../pages.py" line="258"/>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="193"/>
        <source>统计失败：%1</source>
        <translation>Counting failed: %1</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="212"/>
        <source>正在准备本月的统计：已算 %1 / %2 户…</source>
        <translation>Preparing this month's figures: %1 of %2 households counted…</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="221"/>
        <source>%1的情况</source>
        <translation>Figures for %1</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="278"/>
        <source>未分安置点</source>
        <translation>No settlement</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="278"/>
        <source>未分网格</source>
        <translation>No grid</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="282"/>
        <source>（已删除的地点）</source>
        <translation>(deleted place)</translation>
    </message>
    <message>
        <location filename="../../dashboard.py" line="319"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="45"/>
        <location filename="../../dashboard_parts.py" line="49"/>
        <source>有劳动能力和就业意愿的户</source>
        <translation>households able and willing to work</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="45"/>
        <source>零就业家庭</source>
        <translation>Zero-employment households</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="47"/>
        <source>上月零就业家庭</source>
        <translation>zero-employment households last month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="47"/>
        <source>本月动态清零</source>
        <translation>Cleared this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="48"/>
        <source>本月清零的零就业家庭</source>
        <translation>Zero-employment households cleared this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="49"/>
        <source>至少一人就业的户</source>
        <translation>Households with at least one employed</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="51"/>
        <source>常住且有培训意愿的劳动力</source>
        <translation>resident labour willing to be trained</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="51"/>
        <source>本年培训人数</source>
        <translation>Trained this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="52"/>
        <source>有人本年参加培训的户</source>
        <translation>Households with a member trained this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="53"/>
        <source>有常住且有培训意愿劳动力的户</source>
        <translation>Households with resident labour willing to be trained</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="54"/>
        <source>全年期数</source>
        <translation>rounds a year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="54"/>
        <source>本年完成监测期数</source>
        <translation>Monitoring rounds completed this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="55"/>
        <source>本月监测尚未走访的户</source>
        <translation>Households this month's round has not visited yet</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="56"/>
        <source>本月走访户数</source>
        <translation>Households visited this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="57"/>
        <source>本月已走访的户</source>
        <translation>Households visited this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="57"/>
        <source>本月未走访的户</source>
        <translation>Not visited this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="59"/>
        <source>未办结诉求</source>
        <translation>open grievances</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="59"/>
        <source>超期诉求</source>
        <translation>Overdue grievances</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="60"/>
        <source>有超期诉求的户</source>
        <translation>Households with an overdue grievance</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="61"/>
        <source>监测户</source>
        <translation>monitored households</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="61"/>
        <source>监测户未落实帮扶措施</source>
        <translation>Monitored households without a support measure</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="63"/>
        <source>劳动力</source>
        <translation>labour</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="63"/>
        <source>本月就业的劳动力</source>
        <translation>Labour employed this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="64"/>
        <source>有人就业的户</source>
        <translation>Households with someone employed</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="64"/>
        <source>有劳动力的户</source>
        <translation>Households with labour</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="65"/>
        <source>返乡劳动力</source>
        <translation>returned workers</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="65"/>
        <source>返乡劳动力中就业的</source>
        <translation>Returned workers employed</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="66"/>
        <source>有返乡劳动力就业的户</source>
        <translation>Households with a returned worker employed</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="67"/>
        <source>有返乡劳动力的户</source>
        <translation>Households with a returned worker</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="68"/>
        <source>义务教育阶段儿童</source>
        <translation>children of compulsory-school age</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="68"/>
        <source>失学辍学儿童</source>
        <translation>Children out of school</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="69"/>
        <source>有失学辍学儿童的户</source>
        <translation>Households with a child out of school</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="70"/>
        <source>儿童</source>
        <translation>children</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="70"/>
        <source>留守儿童</source>
        <translation>Left-behind children</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="71"/>
        <source>有留守儿童的户</source>
        <translation>Households with a left-behind child</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="72"/>
        <source>留守老人</source>
        <translation>Left-behind elderly</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="72"/>
        <source>老年人</source>
        <translation>elderly people</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="73"/>
        <source>有留守老人的户</source>
        <translation>Households with a left-behind elderly person</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="74"/>
        <source>劳动年龄的已婚妇女</source>
        <translation>married women of working age</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="74"/>
        <source>留守妇女</source>
        <translation>Left-behind women</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="75"/>
        <source>有留守妇女的户</source>
        <translation>Households with a left-behind woman</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="76"/>
        <location filename="../../dashboard_parts.py" line="84"/>
        <source>在册人员</source>
        <translation>registered members</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="76"/>
        <source>特殊困难人员（鳏寡孤独残）</source>
        <translation>Special hardship (widowed, orphaned, alone, disabled)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="77"/>
        <source>有特殊困难人员的户</source>
        <translation>Households with a member in special hardship</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="78"/>
        <source>上年人均可支配收入</source>
        <translation>Disposable income a person, last year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="78"/>
        <source>共享收入的人数</source>
        <translation>people sharing the income</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="79"/>
        <location filename="../../dashboard_parts.py" line="81"/>
        <location filename="../../dashboard_parts.py" line="83"/>
        <source>有上年收入记录的户</source>
        <translation>Households with last year's income</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="80"/>
        <source>人均可支配收入增速</source>
        <translation>Growth of disposable income a person</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="80"/>
        <source>前年人均（同一批户）</source>
        <translation>the year before, a person (same households)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="82"/>
        <source>上年工资性收入占比</source>
        <translation>Wage share of income, last year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="82"/>
        <source>可支配收入</source>
        <translation>disposable income</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="84"/>
        <source>漏保断保人数</source>
        <translation>People with a gap in insurance</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="85"/>
        <source>有漏保断保人员的户</source>
        <translation>Households with a gap in insurance</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="109"/>
        <source>%1 元/人</source>
        <translation>%1 yuan a person</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="113"/>
        <source>%1 / %2 期</source>
        <translation>%1 of %2 rounds</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="124"/>
        <source>高于全县 %1</source>
        <translation>above the county's %1</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="126"/>
        <source>已达到目标 %1</source>
        <translation>Target %1 met</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="127"/>
        <source>未达到目标 %1</source>
        <translation>Target %1 not met</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="135"/>
        <source>点击查看这些户</source>
        <translation>Click to list these households</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="164"/>
        <source>分母：%1</source>
        <translation>Out of: %1</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="200"/>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="258"/>
        <source>近12个月：%1 — %2</source>
        <translation>Last 12 months: %1 – %2</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="260"/>
        <location filename="../../dashboard_parts.py" line="280"/>
        <source>零就业家庭（户）</source>
        <translation>Zero-employment households</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="265"/>
        <location filename="../../dashboard_parts.py" line="286"/>
        <source>走访覆盖率（%）</source>
        <translation>Visit coverage (%)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="276"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="340"/>
        <location filename="../../table_models.py" line="27"/>
        <source>安置点</source>
        <translation>Settlement</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="342"/>
        <location filename="../../table_models.py" line="28"/>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="383"/>
        <source>（合计）</source>
        <translation>(all grids)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="395"/>
        <source>本月就业去向</source>
        <translation>Where the employed work this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="396"/>
        <source>本月就业行业分布</source>
        <translation>Trades of the employed this month</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="397"/>
        <source>鳏寡孤独残</source>
        <translation>Special hardship</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="397"/>
        <source>鳏（丧偶老年男性）</source>
        <translation>Widowers (60 and over)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="398"/>
        <source>寡（丧偶老年女性）</source>
        <translation>Widows (60 and over)</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="399"/>
        <source>孤（孤儿）</source>
        <translation>Orphans</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="399"/>
        <source>独（独居老人）</source>
        <translation>Elderly living alone</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="400"/>
        <source>残（残疾人）</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="401"/>
        <source>漏保断保</source>
        <translation>Gaps in insurance</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="401"/>
        <source>缺本年基本医保</source>
        <translation>No basic medical insurance this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="402"/>
        <source>缺本年基本养老保险</source>
        <translation>No basic pension insurance this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="403"/>
        <source>上年参保、本年断保</source>
        <translation>Insured last year, not this year</translation>
    </message>
    <message>
        <location filename="../../dashboard_parts.py" line="410"/>
        <source>未记录</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="52"/>
        <source>连接县服务器</source>
        <translation>Connect to the county server</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="59"/>
        <source>填写县里给您的服务器地址和账号。连接后，您网格里的户会下载到这台电脑上。</source>
        <translation>Enter the server address and the account the county gave you. Once connected, the households of your grid are downloaded to this computer.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="61"/>
        <source>把这个档案连接到县服务器：档案里已有的记录都保留，第一次同步时上传。</source>
        <translation>Connect this profile to the county server: its records are all kept and go up with the first sync.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="64"/>
        <source>例如 https://anju.县名.gov.cn 或 http://192.168.1.10:8765</source>
        <translation>e.g. https://anju.county.gov.cn or http://192.168.1.10:8765</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="65"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="69"/>
        <location filename="../../start.py" line="233"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="72"/>
        <location filename="../../start.py" line="79"/>
        <location filename="../../start.py" line="237"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="73"/>
        <source>县里有自己的证书时才需要</source>
        <translation>Only when the county has its own certificate</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="74"/>
        <source>CA 证书（可不填）</source>
        <translation>CA certificate (optional)</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="80"/>
        <location filename="../../start.py" line="225"/>
        <source>档案文件夹</source>
        <translation>Profile folder</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="81"/>
        <source>档案用同一个密码加密。</source>
        <translation>The profile is encrypted with the same password.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="106"/>
        <location filename="../../ledger_page.py" line="154"/>
        <location filename="../../start.py" line="220"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="113"/>
        <source>检查地址</source>
        <translation>Check address</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="116"/>
        <source>连接</source>
        <translation>Connect</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="116"/>
        <source>连接并下载</source>
        <translation>Connect and download</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="120"/>
        <source>停止下载</source>
        <translation>Stop download</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="124"/>
        <source>打开档案</source>
        <translation>Open profile</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="141"/>
        <source>选择县里的 CA 证书</source>
        <translation>Choose the county's CA certificate</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="142"/>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="147"/>
        <location filename="../../start.py" line="182"/>
        <location filename="../../start.py" line="254"/>
        <source>选择档案文件夹</source>
        <translation>Choose profile folder</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="156"/>
        <source>服务器地址：请填写县里给您的地址。</source>
        <translation>Server address: enter the address the county gave you.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="160"/>
        <source>服务器地址：%1</source>
        <translation>Server address: %1</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="169"/>
        <source>用户名：请填写县里给您的用户名。</source>
        <translation>User name: enter the user name the county gave you.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="171"/>
        <source>密码：请填写。</source>
        <translation>Password: please enter it.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="175"/>
        <location filename="../../start.py" line="262"/>
        <source>档案文件夹：请填写或选择一个文件夹。</source>
        <translation>Profile folder: type or choose a folder.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="177"/>
        <source>档案文件夹：这里已经有一个档案了，请换一个文件夹。</source>
        <translation>Profile folder: there is a profile here already; choose another folder.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="179"/>
        <location filename="../../start.py" line="266"/>
        <source>档案文件夹：这个文件夹不是空的，请选一个空文件夹或新文件夹。</source>
        <translation>Profile folder: this folder is not empty; choose an empty or new folder.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="199"/>
        <source>正在检查……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="206"/>
        <source>这个地址上不是安居县服务器，请核对地址。</source>
        <translation>This address is not an Anju county server; check the address.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="208"/>
        <source>地址没问题：这是安居县服务器。</source>
        <translation>The address is right: this is an Anju county server.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="225"/>
        <location filename="../../sync_ops.py" line="382"/>
        <source>正在连接县服务器……</source>
        <translation>Connecting to the county server…</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="242"/>
        <source>没有连接上：%1</source>
        <translation>Not connected: %1</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="260"/>
        <source>已登记这台电脑，正在下载您范围内的户……</source>
        <translation>This computer is registered; downloading the households in your scope…</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="270"/>
        <source>正在下载：已收到 %1 条</source>
        <translation>Downloading: %1 received</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="274"/>
        <source>正在整理户列表：%1/%2 户</source>
        <translation>Listing the households: %1 of %2</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="280"/>
        <source>正在停止……</source>
        <translation>Stopping…</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="283"/>
        <source>下载完成。</source>
        <translation>Download complete.</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="296"/>
        <source>下载中断：%1</source>
        <translation>The download stopped: %1</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="296"/>
        <source>已停止下载</source>
        <translation>Download stopped</translation>
    </message>
    <message>
        <location filename="../../enroll_dialog.py" line="298"/>
        <source>。已收到的 %1 条保存在档案里；打开档案后，连上服务器时会接着下载。</source>
        <translation>. The %1 records received are kept in the profile; once it is open, the download goes on when the server can be reached.</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="40"/>
        <source>年-月-日，如 2026-11-23</source>
        <translation>YYYY-MM-DD, e.g. 2026-11-23</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="40"/>
        <source>年-月，如 2026-11</source>
        <translation>YYYY-MM, e.g. 2026-11</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="41"/>
        <source>数字</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="41"/>
        <source>整数</source>
        <translation>Whole number</translation>
    </message>
    <message>
        <location filename="../../fields.py" line="216"/>
        <location filename="../../forms/pulled.py" line="321"/>
        <location filename="../../forms/refused.py" line="88"/>
        <location filename="../../sync_dialogs.py" line="64"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../fonts.py" line="119"/>
        <source>本机缺少可以显示某些汉字的字体，这些字会显示成方框。请安装完整的中文字体，或告诉帮你维护电脑的人。</source>
        <translation>This computer lacks a font for some Chinese characters, which show as boxes. Install a full Chinese font, or tell whoever looks after this computer.</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="109"/>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="112"/>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="120"/>
        <source>表单(&amp;F)</source>
        <translation>&amp;Form</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="121"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="127"/>
        <source>删除此记录…</source>
        <translation>Delete this record…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/base.py" line="255"/>
        <source>%n 处提醒</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/base.py" line="255"/>
        <source>%n 处错误</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="255"/>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="256"/>
        <source>还有 %1。改正错误后才能保存（提醒不影响保存）。点一条可跳到那里。</source>
        <translation>Still %1. Correct the errors before saving (warnings do not stop a save). Click one to go there.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/base.py" line="260"/>
        <source>可以保存；有 %n 条提醒，请核对。</source>
        <translation>
            <numerusform>Ready to save; please check %n warning.</numerusform>
            <numerusform>Ready to save; please check %n warnings.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="352"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="352"/>
        <source>已保存。请核对：%1</source>
        <translation>Saved. Please check: %1</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="352"/>
        <location filename="../../forms/pulled.py" line="326"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="383"/>
        <source>同步刚刚更新了这条记录，已把别人的修改并进来。请核对后再保存。</source>
        <translation>A sync has just updated this record and others' changes were merged in. Check it, then save again.</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="394"/>
        <source>没有保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="395"/>
        <source>保存时出错，资料没有写入：%1</source>
        <translation>Saving failed; nothing was written: %1</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="406"/>
        <source>删除记录</source>
        <translation>Delete record</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="406"/>
        <source>确定删除“%1”吗？它下面的记录（如成员的就业和培训）也会一起删除。</source>
        <translation>Delete “%1”? The records under it (such as members' jobs and training) are deleted with it.</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="413"/>
        <source>没有删除</source>
        <translation>Not deleted</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="526"/>
        <source>“%1”有修改还没有保存。要保存吗？</source>
        <translation>“%1” has unsaved changes. Save them?</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="526"/>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="576"/>
        <source>新增培训</source>
        <translation>Add training</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="576"/>
        <source>新增就业</source>
        <translation>Add employment</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="576"/>
        <source>新增成员</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="577"/>
        <source>新增措施</source>
        <translation>Add measure</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="577"/>
        <source>本月走访</source>
        <translation>Visit this month</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="577"/>
        <source>登记诉求</source>
        <translation>Register grievance</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="578"/>
        <source>新增参保记录</source>
        <translation>Add insurance record</translation>
    </message>
    <message>
        <location filename="../../forms/base.py" line="578"/>
        <source>新增年度收入</source>
        <translation>Add yearly income</translation>
    </message>
    <message>
        <location filename="../../forms/county.py" line="29"/>
        <location filename="../../forms/county.py" line="50"/>
        <source>县级设置</source>
        <translation>County settings</translation>
    </message>
    <message>
        <location filename="../../forms/county.py" line="38"/>
        <source>这些数值决定各项指标的口径，保存后随同步发到全县的电脑。</source>
        <translation>These values decide how the indicators are counted; once saved, they reach every computer in the county with the next sync.</translation>
    </message>
    <message>
        <location filename="../../forms/county.py" line="39"/>
        <source>只有县管理员可以修改县级设置；这里显示的是本机从县服务器收到的设置。</source>
        <translation>Only a county administrator can change the county settings; these are the settings this computer received from the county server.</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="24"/>
        <source>登记信息</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="26"/>
        <source>办理与回访</source>
        <translation>Handling and follow-up</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="48"/>
        <source>新增当事人</source>
        <translation>Add party</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="49"/>
        <source>移除当事人</source>
        <translation>Remove party</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="58"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="61"/>
        <source>办理状态下一步</source>
        <translation>Next status step</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="76"/>
        <source>撤回这一步</source>
        <translation>Undo this step</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="148"/>
        <source>办理状态：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="154"/>
        <source>下一步：%1</source>
        <translation>Next: %1</translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="156"/>
        <source>（保存后可进行下一步）</source>
        <translation> (save before the next step)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/grievance.py" line="158"/>
        <source>已超期 %n 天</source>
        <translation>
            <numerusform>Overdue by %n day</numerusform>
            <numerusform>Overdue by %n days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/grievance.py" line="163"/>
        <source>已超过办理期限，请尽快办结</source>
        <translation>Past the deadline; please close the case soon</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="31"/>
        <source>基本信息</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="34"/>
        <source>监测与风险</source>
        <translation>Monitoring and risks</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="55"/>
        <source>户：%1</source>
        <translation>Household %1</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="55"/>
        <location filename="../../main_window.py" line="151"/>
        <location filename="../../pages.py" line="129"/>
        <source>新建户</source>
        <translation>New household</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="69"/>
        <source>（本档案还没有安置点）</source>
        <translation>(this profile has no settlements yet)</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="69"/>
        <source>（本档案还没有网格）</source>
        <translation>(this profile has no grids yet)</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="73"/>
        <source>在本机新建的档案没有连接县服务器，所以没有安置点和网格。要使用县里的安置点和网格，请连接县服务器新建一个档案（anju enroll 命令）。这两项现在可以先不填。</source>
        <translation>A profile made on this computer is not connected to the county server, so it has no settlements or grids. To work with the county's, make a new profile by connecting to the county server (the anju enroll command). You may leave these two empty for now.</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="91"/>
        <source>家庭成员</source>
        <translation>Household members</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="93"/>
        <location filename="../../forms/records.py" line="135"/>
        <source>参保</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="93"/>
        <location filename="../../forms/records.py" line="123"/>
        <source>年度收入</source>
        <translation>Yearly income</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="94"/>
        <source>收入与参保</source>
        <translation>Income and insurance</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="96"/>
        <location filename="../../main_window.py" line="41"/>
        <source>诉求</source>
        <translation>Grievances</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="96"/>
        <source>诉求与走访</source>
        <translation>Grievances and visits</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="96"/>
        <location filename="../../main_window.py" line="42"/>
        <source>走访</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="108"/>
        <source>移除所选成员</source>
        <translation>Remove selected member</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="119"/>
        <location filename="../../ledger_page.py" line="194"/>
        <source>打印户卡…</source>
        <translation>Print household card…</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="130"/>
        <source>请先保存这一户，再打印户卡。</source>
        <translation>Save this household first, then print its card.</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="270"/>
        <source>已参保</source>
        <translation>insured</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="270"/>
        <source>未参保</source>
        <translation>not insured</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="290"/>
        <source>%1年 人均可支配收入 %2 元</source>
        <translation>%1: disposable income %2 yuan per person</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="293"/>
        <source>，工资性收入占比 %1%</source>
        <translation>, wages %1% of income</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="298"/>
        <location filename="../../forms/household.py" line="304"/>
        <source>请先保存</source>
        <translation>Save first</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="298"/>
        <source>请先保存这一户，再录入它的其他记录。</source>
        <translation>Save this household before entering its other records.</translation>
    </message>
    <message>
        <location filename="../../forms/household.py" line="304"/>
        <source>请先保存这位成员，再录入他的就业或培训记录。</source>
        <translation>Save this member before entering their employment or training records.</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="84"/>
        <source>新增成员 (Ctrl+N)</source>
        <translation>Add member (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="85"/>
        <location filename="../../forms/members.py" line="179"/>
        <source>移除成员</source>
        <translation>Remove member</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="128"/>
        <source>培训记录</source>
        <translation>Training records</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="128"/>
        <source>就业记录</source>
        <translation>Employment records</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="180"/>
        <source>移除“%1”？保存后，此人的就业、培训等记录也会一起删除。如果此人只是迁出或去世，请不要移除，而是把“成员状态”改为“减少”。</source>
        <translation>Remove “%1”? When you save, this person's jobs, training and other records are deleted too. If the person has only moved out or died, do not remove them: set “Member status” to “Removed” instead.</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="228"/>
        <source>第 %1 位成员：%2</source>
        <translation>Member %1: %2</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="229"/>
        <source>在左边选一位成员，或按 Ctrl+N 新增。</source>
        <translation>Select a member on the left, or press Ctrl+N to add one.</translation>
    </message>
    <message>
        <location filename="../../forms/members.py" line="276"/>
        <source>至今</source>
        <translation>present</translation>
    </message>
    <message>
        <location filename="../../forms/opener.py" line="184"/>
        <source>打不开</source>
        <translation>Cannot open</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="154"/>
        <source>%1：您填的“%2”，同步来的“%3”。保留哪一个？</source>
        <translation>%1: you typed "%2", the sync brought "%3". Which one to keep?</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="157"/>
        <source>保留我填的</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="159"/>
        <source>用同步来的</source>
        <translation>Use the synced one</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="256"/>
        <source>这条记录已被别人删除，或已调出您的工作范围（随同步而来）。您填的内容还在表单里，但不能再保存；如需要，请抄下后关闭，再联系村文书。</source>
        <translation>This record was deleted by someone else, or moved out of your scope (by a sync). What you typed is still in the form but cannot be saved; copy it if needed, close the form and ask the village clerk.</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="259"/>
        <source>同步更新了这条记录，但读取新版本时出错：%1</source>
        <translation>A sync updated this record, but reading the new version failed: %1</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="275"/>
        <source>别人刚改了这一项（随同步而来），已换成新值。</source>
        <translation>Someone else just changed this (by a sync); the new value is shown.</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="278"/>
        <location filename="../../forms/pulled.py" line="279"/>
        <location filename="../../forms/pulled.py" line="299"/>
        <location filename="../../forms/pulled.py" line="300"/>
        <location filename="../../sync_dialogs.py" line="98"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/pulled.py" line="303"/>
        <source>%n 行有别人的修改（已换上）</source>
        <translation>
            <numerusform>%n row changed by someone else (taken)</numerusform>
            <numerusform>%n rows changed by someone else (taken)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/pulled.py" line="305"/>
        <source>%n 行已被别人删除，您改过的内容还留着，保存时作为新的一行</source>
        <translation>
            <numerusform>%n row was deleted by someone else; your edits to it are kept and saved as a new row</numerusform>
            <numerusform>%n rows were deleted by someone else; your edits to them are kept and saved as new rows</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="321"/>
        <source>已换上别人改的：%1</source>
        <translation>Taken from others' changes: %1</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="324"/>
        <source>这条记录刚随同步更新。</source>
        <translation>This record was just updated by a sync.</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="325"/>
        <source>您填的内容都还在。</source>
        <translation> Everything you typed is still here.</translation>
    </message>
    <message>
        <location filename="../../forms/pulled.py" line="327"/>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/pulled.py" line="363"/>
        <source>还有 %n 处与同步来的修改不同，请先在上方选择保留哪一个。</source>
        <translation>
            <numerusform>%n field differs from the synced change; choose above which to keep first.</numerusform>
            <numerusform>%n fields differ from the synced changes; choose above which to keep first.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/records.py" line="26"/>
        <source>户编号：%1　户主：%2　地址：%3</source>
        <translation>Household no.: %1   Head: %2   Address: %3</translation>
    </message>
    <message>
        <location filename="../../forms/records.py" line="81"/>
        <source>就业情况</source>
        <translation>Employment</translation>
    </message>
    <message>
        <location filename="../../forms/records.py" line="101"/>
        <source>证书与补贴</source>
        <translation>Certificate and subsidy</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="35"/>
        <source>%1“%2”</source>
        <translation>%1 "%2"</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="54"/>
        <source>放弃这些修改…</source>
        <translation>Give up these changes…</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="87"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="88"/>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="92"/>
        <source>县服务器没有接受这一项：%1</source>
        <translation>The county server did not accept this: %1</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="95"/>
        <source>县服务器没有接受这里的修改（括号里是您发送的值）：</source>
        <translation>The county server did not accept these changes (in brackets, the values you sent):</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="95"/>
        <source>请改正后保存，保存后会重新上传；也可以放弃这些修改，恢复为服务器上的版本。</source>
        <translation>Correct them and save: they are sent again. Or give them up and go back to the server's version.</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="105"/>
        <source>放弃被拒绝的修改</source>
        <translation>Give up refused changes</translation>
    </message>
    <message numerus="yes">
        <location filename="../../forms/refused.py" line="105"/>
        <source>放弃这 %n 条记录被拒绝的修改，恢复为县服务器上的版本？服务器上没有的记录（例如在本机新建、不在您网格里的户）会从本机删除。</source>
        <translation>
            <numerusform>Give up the refused changes of %n record and go back to the county server's version? A record the server does not have (such as a household made here outside your grid) is removed from this computer.</numerusform>
            <numerusform>Give up the refused changes of %n records and go back to the county server's version? Records the server does not have (such as a household made here outside your grid) are removed from this computer.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="142"/>
        <location filename="../../forms/refused.py" line="146"/>
        <source>没有放弃</source>
        <translation>Not given up</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="142"/>
        <source>这些记录后来的修改在一批可能已经发往县服务器的修改里（上传被中断，或装进了离线同步包），服务器还没有回复；现在放弃，晚到的那一份仍会被服务器采用。请先同步一次，再放弃。什么也没有改。</source>
        <translation>Later changes to these records are in a batch that may already have been sent to the county server (the upload was cut off, or it went into an offline bundle), and the server has not answered it yet; if they were given up now, a copy arriving late would still be taken by the server. Please sync once first, then give them up. Nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../forms/refused.py" line="146"/>
        <source>没能取回服务器上的版本，什么也没有改：%1</source>
        <translation>The server's version could not be fetched; nothing was changed: %1</translation>
    </message>
    <message>
        <location filename="../../forms/visit.py" line="26"/>
        <source>本次走访</source>
        <translation>This visit</translation>
    </message>
    <message>
        <location filename="../../forms/visit.py" line="48"/>
        <source>每位成员本月的就业状态、就业地、行业和收入（已按上次走访填好，核对后修改即可）：</source>
        <translation>Each member's employment, place of work, sector and income this month (filled in from the last visit; check and correct):</translation>
    </message>
    <message>
        <location filename="../../forms/visit.py" line="62"/>
        <source>成员情况</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../i18n.py" line="41"/>
        <source>程序出错了，详情已记入日志（帮助 → 打开日志文件夹）。</source>
        <translation>Something went wrong in the program; the details are in the log (Help → Open the log folder).</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="39"/>
        <source>半弱劳动力台账</source>
        <translation>Semi/weak labour ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="39"/>
        <source>搬迁劳动力台账</source>
        <translation>Relocated labour ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="39"/>
        <source>高校毕业生台账</source>
        <translation>College graduates ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="40"/>
        <source>培训台账</source>
        <translation>Training ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="40"/>
        <source>就业台账</source>
        <translation>Employment ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="40"/>
        <source>鳏寡孤独残特殊困难群体台账</source>
        <translation>Special-hardship ledger (widowed, orphaned, alone, disabled)</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="41"/>
        <source>月度监测台账</source>
        <translation>Monthly monitoring ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="41"/>
        <source>月调度表</source>
        <translation>Monthly dispatch table</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="41"/>
        <source>零就业家庭台账</source>
        <translation>Zero-employment households ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="42"/>
        <source>矛盾纠纷排查化解台账</source>
        <translation>Disputes and grievances ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="42"/>
        <source>防返贫监测对象台账</source>
        <translation>Monitored households ledger (preventing return to poverty)</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="43"/>
        <source>季度通报</source>
        <translation>Quarterly bulletin</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="43"/>
        <source>帮扶措施台账</source>
        <translation>Assistance measures ledger</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="43"/>
        <source>户籍花名册</source>
        <translation>Household roster</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="45"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="45"/>
        <source>正在保存文件</source>
        <translation>Saving the file</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="45"/>
        <source>正在清点</source>
        <translation>Counting</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="46"/>
        <source>正在复制记录</source>
        <translation>Copying records</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="52"/>
        <source>统计月份 %1 还没有到，请选择本月或以前的月份。</source>
        <translation>The month %1 is still to come: choose this month or an earlier one.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="54"/>
        <source>统计月份“%1”不对，应为“年-月”。</source>
        <translation>The month “%1” is not right: it should be year-month.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="56"/>
        <location filename="../../ledger_page.py" line="233"/>
        <source>请至少选择一种台账。</source>
        <translation>Choose at least one ledger.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="58"/>
        <source>“%1”在档案文件夹里，请换一个位置。</source>
        <translation>“%1” is inside the profile's folder: choose another place.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="60"/>
        <location filename="../../ledger_page.py" line="236"/>
        <source>保存位置“%1”不是一个可用的文件夹，请重新选择。</source>
        <translation>“%1” is not a folder that can be used: choose another.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="61"/>
        <source>导出台账失败（%1）。</source>
        <translation>Exporting the ledgers failed (%1).</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="98"/>
        <source>导出台账</source>
        <translation>Export ledgers</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="111"/>
        <source>导出完整的身份证号和电话（将记入审计日志）</source>
        <translation>Export full ID numbers and phones (written to the audit log)</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="126"/>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="129"/>
        <source>统计月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="137"/>
        <source>全部在一张表</source>
        <translation>All in one sheet</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="138"/>
        <source>每个安置点一张表</source>
        <translation>One sheet per settlement</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="150"/>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="161"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="175"/>
        <source>导入已有的户籍花名册</source>
        <translation>Import an existing household roster</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="177"/>
        <source>从 Excel 花名册（.xlsx 或 .xls）导入户和成员：先检查并列出每一处问题，确认后才写入。</source>
        <translation>Import households and members from an Excel roster (.xlsx or .xls): every problem is checked and listed first, and nothing is written until you confirm.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="180"/>
        <source>导入花名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="187"/>
        <source>户卡与分析用数据</source>
        <translation>Household cards and data for analysis</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="189"/>
        <location filename="../../table_models.py" line="23"/>
        <source>户编号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="199"/>
        <source>导出分析用 SQLite 副本…</source>
        <translation>Export a SQLite copy for analysis…</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="201"/>
        <source>不加密的 SQLite 文件，供统计分析软件使用；是否遮挡个人信息同上方的勾选</source>
        <translation>An unencrypted SQLite file for statistics software; personal data masked or not as ticked above</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="218"/>
        <source>保存台账的文件夹</source>
        <translation>Folder for the ledgers</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="225"/>
        <source>完整的身份证号和电话属于敏感个人信息。导出的文件请妥善保管，用完删除；本次导出将记入审计日志。确定吗？</source>
        <translation>Full ID numbers and phones are sensitive personal information. Keep the exported files safe and delete them after use; this export is written to the audit log. Go ahead?</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="225"/>
        <source>导出完整个人信息</source>
        <translation>Export full personal data</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="255"/>
        <source>SQLite 数据库 (*.db)</source>
        <translation>SQLite database (*.db)</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="255"/>
        <source>分析用数据副本</source>
        <translation>Copy for analysis</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="282"/>
        <source>已写出分析用副本（%1 户，%2 人）：&lt;a href="%3"&gt;%4&lt;/a&gt;。</source>
        <translation>Copy for analysis written (%1 households, %2 people): &lt;a href="%3"&gt;%4&lt;/a&gt;.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="290"/>
        <source>请填写户编号。</source>
        <translation>Enter a household number.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="302"/>
        <source>户编号“%1”有多户，请从户列表打开要打印的户。</source>
        <translation>Household number “%1” belongs to several households: open the one to print from the household list.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="302"/>
        <source>没有户编号为“%1”的户。</source>
        <translation>No household has the number “%1”.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="323"/>
        <source>已导出 %1 个台账，共 %2 行，保存在 &lt;a href="%3"&gt;%4&lt;/a&gt;。</source>
        <translation>%1 ledgers exported, %2 rows, saved in &lt;a href="%3"&gt;%4&lt;/a&gt;.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="331"/>
        <source>已取消导出；没有留下写了一半的文件。</source>
        <translation>Export cancelled; no half-written file is left.</translation>
    </message>
    <message>
        <location filename="../../ledger_page.py" line="338"/>
        <source>文件“%1”写不进去：%2。如果它正在 Excel 里打开，请先关闭再导出。</source>
        <translation>The file “%1” cannot be written: %2. If it is open in Excel, close it and export again.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lock.py" line="68"/>
        <source>密码不正确（已连续错 %n 次）。</source>
        <translation>
            <numerusform>Wrong password (%n failed attempt in a row).</numerusform>
            <numerusform>Wrong password (%n failed attempts in a row).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../lock.py" line="71"/>
        <source>%1为保护资料，请 %n 秒后再试。</source>
        <translation>
            <numerusform>%1 To protect the data, try again in %n second.</numerusform>
            <numerusform>%1 To protect the data, try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lock.py" line="81"/>
        <source>安居 — 已锁定</source>
        <translation>Anju — Locked</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="86"/>
        <source>已锁定。请输入“%1”的档案密码继续。</source>
        <translation>Locked. Enter the profile password of “%1” to go on.</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="86"/>
        <source>长时间没有操作，已自动锁定。请输入“%1”的档案密码继续。</source>
        <translation>Anju locked itself after a period without use. Enter the profile password of “%1” to continue.</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="91"/>
        <source>这是演示档案，密码是：%1</source>
        <translation>This is the demo profile; its password is: %1</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="103"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="116"/>
        <location filename="../../start.py" line="153"/>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <location filename="../../lock.py" line="148"/>
        <location filename="../../start.py" line="140"/>
        <source>可以再试了。</source>
        <translation>You can try again now.</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="40"/>
        <source>人员</source>
        <translation>People</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="40"/>
        <source>户</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="40"/>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="42"/>
        <source>台账/同步</source>
        <translation>Ledgers / Sync</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="62"/>
        <source>安居 — %1</source>
        <translation>Anju — %1</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="131"/>
        <source>立即同步 (F9)</source>
        <translation>Sync now (F9)</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="150"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="153"/>
        <source>打开所选户</source>
        <translation>Open selected household</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="155"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="156"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="157"/>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="158"/>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="159"/>
        <location filename="../../sync_dialogs.py" line="184"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="163"/>
        <source>记录(&amp;R)</source>
        <translation>&amp;Records</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="164"/>
        <source>显示所选户主的完整身份证号</source>
        <translation>Show full ID number of selected household head</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="166"/>
        <source>显示所选户的完整电话</source>
        <translation>Show full phone number of selected household</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="169"/>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="170"/>
        <source>县级设置…</source>
        <translation>County settings…</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="171"/>
        <location filename="../../main_window.py" line="352"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="178"/>
        <source>大字体</source>
        <translation>Large font</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="182"/>
        <source>自动锁定时间…</source>
        <translation>Auto-lock time…</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="184"/>
        <source>备份与恢复…</source>
        <translation>Backup and restore…</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="185"/>
        <source>重新下载…</source>
        <translation>Download again…</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="186"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="187"/>
        <source>打开日志文件夹</source>
        <translation>Open the log folder</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="192"/>
        <source>常用</source>
        <translation>Common</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="205"/>
        <location filename="../../sync_ops.py" line="381"/>
        <source>未连接服务器（离线工作）</source>
        <translation>Not connected to the server (working offline)</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="207"/>
        <source>用户：%1</source>
        <translation>User: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="245"/>
        <source>待同步的修改：%n 项</source>
        <translation>
            <numerusform>%n change to sync</numerusform>
            <numerusform>%n changes to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="247"/>
        <source>，被拒绝 %n 项</source>
        <translation>
            <numerusform>, %n refused</numerusform>
            <numerusform>, %n refused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="249"/>
        <source>，待处理冲突 %n 条</source>
        <translation>
            <numerusform>, %n conflict to settle</numerusform>
            <numerusform>, %n conflicts to settle</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="251"/>
        <source>被拒绝的修改见“同步 → 被服务器拒绝的修改…”</source>
        <translation>The refused changes are under Sync → Changes refused by the server…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="252"/>
        <source>现在有 %n 项修改等待同步；它们安全地保存在本机的加密档案里，联网后按 F9 与县服务器同步。</source>
        <translation>
            <numerusform>%n change is waiting to sync; they are kept safe in this computer's encrypted profile. Press F9 to sync with the county server when online.</numerusform>
            <numerusform>%n changes are waiting to sync; they are kept safe in this computer's encrypted profile. Press F9 to sync with the county server when online.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="341"/>
        <source>请先在列表中选择一户。</source>
        <translation>Select a household in the list first.</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="347"/>
        <source>无法显示</source>
        <translation>Cannot show</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="352"/>
        <source>界面语言将在下次启动安居时切换。</source>
        <translation>The language will change the next time Anju starts.</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="360"/>
        <source>无操作多少分钟后锁定（0 表示不锁定）：</source>
        <translation>Lock after this many minutes without use (0 = never):</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="360"/>
        <source>自动锁定时间</source>
        <translation>Auto-lock time</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="381"/>
        <source>日志文件在：%1</source>
        <translation>The log files are in: %1</translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="423"/>
        <source>档案文件有损坏</source>
        <translation>The profile's file is damaged</translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="423"/>
        <source>检查档案文件时发现 %n 处损坏，有些已保存的资料可能读不出来。请尽快同步，然后从备份恢复（设置 → 备份与恢复）。</source>
        <translation>
            <numerusform>The check of the profile's file found %n damaged place; some saved records may not read. Sync soon, then restore a backup (Settings → Backup and restore).</numerusform>
            <numerusform>The check of the profile's file found %n damaged places; some saved records may not read. Sync soon, then restore a backup (Settings → Backup and restore).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="434"/>
        <source>恢复未保存的表单</source>
        <translation>Restore unsaved forms</translation>
    </message>
    <message numerus="yes">
        <location filename="../../main_window.py" line="435"/>
        <source>上次有 %n 份表单没有保存就关闭了：</source>
        <translation>
            <numerusform>%n form was closed last time without being saved:</numerusform>
            <numerusform>%n forms were closed last time without being saved:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../main_window.py" line="435"/>
        <source>要恢复它们吗？</source>
        <translation>Restore them?</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="124"/>
        <source>搜索：姓名、身份证号、电话、户编号或楼栋房号（Ctrl+F）</source>
        <translation>Search: name, ID number, phone, household no. or building/room (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="142"/>
        <source>全部监测类别</source>
        <translation>All monitoring categories</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="145"/>
        <source>零就业</source>
        <translation>Zero employment</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="147"/>
        <source>有超期诉求</source>
        <translation>Overdue grievance</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="149"/>
        <source>本月未走访</source>
        <translation>Not visited this month</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="167"/>
        <source>全部安置点</source>
        <translation>All settlements</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="178"/>
        <source>全部网格</source>
        <translation>All grids</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="213"/>
        <location filename="../../pages.py" line="214"/>
        <source>显示全部户</source>
        <translation>Show all households</translation>
    </message>
    <message>
        <location filename="../../pages.py" line="237"/>
        <source>正在查看：%1</source>
        <translation>Showing: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pages.py" line="265"/>
        <source>共 %n 户</source>
        <translation>
            <numerusform>%n household</numerusform>
            <numerusform>%n households</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pages.py" line="316"/>
        <source>搜索：户编号、姓名或记录中的文字</source>
        <translation>Search: household no., name or text in the record</translation>
    </message>
    <message>
        <location filename="../../progress_row.py" line="28"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../progress_row.py" line="52"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="42"/>
        <source>只看超期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="53"/>
        <source>仍在就业</source>
        <translation>Still working</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="53"/>
        <source>全部就业记录</source>
        <translation>All job records</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="53"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="56"/>
        <source>全部月份</source>
        <translation>All months</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="60"/>
        <source>全部%1</source>
        <translation>All %1</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="80"/>
        <source>选择户</source>
        <translation>Choose a household</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="82"/>
        <source>这条记录属于哪一户？</source>
        <translation>Which household does this record belong to?</translation>
    </message>
    <message>
        <location filename="../../record_filters.py" line="85"/>
        <source>搜索：姓名、身份证号、电话、户编号或楼栋房号</source>
        <translation>Search: name, ID number, phone, household no. or building and flat</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="35"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="36"/>
        <source>正在导入</source>
        <translation>Importing</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="36"/>
        <source>正在检查</source>
        <translation>Checking</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="36"/>
        <source>正在读取</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="81"/>
        <source>提醒</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="81"/>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="103"/>
        <location filename="../../roster_dialog.py" line="227"/>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="106"/>
        <source>请选择村里的 Excel 花名册（.xlsx 或 .xls）。先检查，列出每一处问题；确认后才导入。</source>
        <translation>Choose the village's Excel roster (.xlsx or .xls). It is checked first and every problem listed; it is imported only when you confirm.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="130"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="152"/>
        <source>保存检查报告…</source>
        <translation>Save the check report…</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="156"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="171"/>
        <source>Excel 文件 (*.xlsx *.xls)</source>
        <translation>Excel files (*.xlsx *.xls)</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="171"/>
        <source>选择花名册</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="188"/>
        <source>共 %1 行，%2 户 %3 人。</source>
        <translation>%1 rows, %2 households, %3 people.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="191"/>
        <source>发现 %1 个错误、%2 个提醒：请在 Excel 里改正错误后再检查，改正前不能导入。</source>
        <translation>%1 errors and %2 warnings found: correct the errors in Excel and check again; the roster cannot be imported until then.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="194"/>
        <source>没有错误，有 %1 个提醒：请看过后再导入。</source>
        <translation>No errors, %1 warnings: read them before importing.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="196"/>
        <source>没有发现问题，可以导入。</source>
        <translation>No problems found: the roster can be imported.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="198"/>
        <source>没有导入的列：%1。</source>
        <translation>Columns not imported: %1.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="208"/>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="208"/>
        <source>保存检查报告</source>
        <translation>Save the check report</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="215"/>
        <source>检查报告已保存到 %1。</source>
        <translation>Check report saved to %1.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="223"/>
        <source>将导入 %1 户 %2 人，一次全部写入，随下次同步上传到县里。</source>
        <translation>%1 households and %2 people will be imported, all at once, and uploaded to the county at the next sync.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="226"/>
        <source>还有 %1 个提醒没有处理。</source>
        <translation>%1 warnings have not been dealt with.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="227"/>
        <source>确定导入吗？</source>
        <translation>Import now?</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="238"/>
        <source>已导入 %1 户 %2 人，将随下次同步上传。</source>
        <translation>%1 households and %2 people imported; they will be uploaded at the next sync.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="266"/>
        <source>已取消，没有写入任何数据。</source>
        <translation>Cancelled; nothing was written.</translation>
    </message>
    <message>
        <location filename="../../roster_dialog.py" line="271"/>
        <source>文件读写出错：%1</source>
        <translation>Reading or writing the file failed: %1</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="11"/>
        <source>缺少“{column}”列</source>
        <translation>The column “{column}” is missing</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="12"/>
        <source>“{column}”没有填写</source>
        <translation>“{column}” is empty</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="13"/>
        <source>身份证号已遮挡，请导出完整号码</source>
        <translation>The ID number is masked: export the full numbers</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="14"/>
        <source>身份证号被 Excel 存成了数字，后几位已经丢失</source>
        <translation>Excel stored the ID number as a number and lost its last digits</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="15"/>
        <source>身份证号校验位错误</source>
        <translation>The ID number's check character is wrong</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="16"/>
        <source>身份证号应为18位，现在是{length}位</source>
        <translation>An ID number has 18 characters; this one has {length}</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="17"/>
        <source>身份证号里有不该出现的字符</source>
        <translation>The ID number holds characters it cannot have</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="18"/>
        <source>身份证号前2位不是任何省份的代码</source>
        <translation>The ID number's first 2 digits are no province's code</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="19"/>
        <source>身份证号中的出生日期不是真实的日期</source>
        <translation>The birth date in the ID number is not a real date</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="20"/>
        <source>身份证号前6位“{area}”查不到这个地区代码</source>
        <translation>The ID number's first 6 digits “{area}” are no known area code</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="21"/>
        <source>没有填写身份证号</source>
        <translation>No ID number</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="22"/>
        <source>性别与身份证号不符，按号码应为{expected}</source>
        <translation>The sex does not match the ID number, which says {expected}</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="23"/>
        <source>出生日期与身份证号不符，按号码应为{expected}</source>
        <translation>The birth date does not match the ID number, which says {expected}</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="24"/>
        <source>“{value}”不是可选的{field}</source>
        <translation>“{value}” is not one of the choices of {field}</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="25"/>
        <source>安置点“{value}”不在本机的安置点中</source>
        <translation>The settlement “{value}” is not among this computer's settlements</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="26"/>
        <source>网格“{value}”不在本机的网格中</source>
        <translation>The grid “{value}” is not among this computer's grids</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="27"/>
        <source>电话号码不对：手机是1开头的11位数字，座机要带区号</source>
        <translation>The phone number is wrong: a mobile has 11 digits starting with 1; a landline needs its area code</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="28"/>
        <source>电话号码已遮挡，请导出完整号码</source>
        <translation>The phone number is masked: export the full numbers</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="29"/>
        <source>户“{household}”没有户主</source>
        <translation>Household “{household}” has no head</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="30"/>
        <source>户“{household}”有{count}位户主（第{rows}行）</source>
        <translation>Household “{household}” has {count} heads (rows {rows})</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="31"/>
        <source>户“{household}”有{count}位配偶（第{rows}行）</source>
        <translation>Household “{household}” has {count} spouses (rows {rows})</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="32"/>
        <source>同一个身份证号在文件中出现了两次（第{first_row}行已有）</source>
        <translation>The same ID number appears twice in the file (already in row {first_row})</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="33"/>
        <source>此人已在档案中（户 {household}）</source>
        <translation>This person is already in the profile (household {household})</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="34"/>
        <source>身份证号已登记在档案的另一户（户 {household}）中</source>
        <translation>The ID number is registered in another household of the profile (household {household})</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="35"/>
        <source>档案中已有户编号为“{household}”的户</source>
        <translation>The profile already has a household numbered “{household}”</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="36"/>
        <source>同一户的“{column}”不一致，用的是“{kept}”</source>
        <translation>The “{column}” of one household differs between rows; “{kept}” is used</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="37"/>
        <source>“{field}”填写有误</source>
        <translation>“{field}” is wrong</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="40"/>
        <source>请加上这一列（可用的列名见使用说明）</source>
        <translation>Add this column (the accepted column names are in the guide)</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="41"/>
        <source>请填写</source>
        <translation>Fill it in</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="42"/>
        <location filename="../../roster_words.py" line="60"/>
        <source>导出花名册时选择显示完整号码，或填上完整号码</source>
        <translation>Choose full numbers when exporting the roster, or type the full numbers</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="43"/>
        <source>把这一列设为文本格式，重新填写完整号码</source>
        <translation>Set this column to text and type the full numbers again</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="44"/>
        <source>核对号码是否抄错：任何一位抄错都会这样</source>
        <translation>Check the number for a copying mistake: any wrong digit does this</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="45"/>
        <source>核对是否漏写或多写了数字</source>
        <translation>Check for a missing or extra digit</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="46"/>
        <source>只能是数字，18位号码的最后一位可以是X；常见的是把0写成O</source>
        <translation>Digits only; the last of 18 may be X (a common slip is the letter O for 0)</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="47"/>
        <source>核对号码是否抄错</source>
        <translation>Check the number for a copying mistake</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="48"/>
        <source>核对号码的第7至14位</source>
        <translation>Check digits 7 to 14 of the number</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="49"/>
        <source>与身份证核对；一致则可以导入</source>
        <translation>Check against the ID card; if it matches, it can be imported</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="50"/>
        <source>请尽量补全证件号码</source>
        <translation>Complete the ID number if you can</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="51"/>
        <source>核对性别或身份证号</source>
        <translation>Check the sex or the ID number</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="52"/>
        <source>核对出生日期或身份证号</source>
        <translation>Check the birth date or the ID number</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="53"/>
        <location filename="../../roster_words.py" line="55"/>
        <location filename="../../roster_words.py" line="57"/>
        <source>是不是“{nearest}”？</source>
        <translation>Did you mean “{nearest}”?</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="54"/>
        <source>可选：{choices}</source>
        <translation>Choices: {choices}</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="56"/>
        <source>核对名称，或先同步县里的安置点</source>
        <translation>Check the name, or sync the county's settlements first</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="58"/>
        <source>核对名称，或先同步县里的网格</source>
        <translation>Check the name, or sync the county's grids first</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="59"/>
        <source>核对号码；座机请填在“家庭电话”一列</source>
        <translation>Check the number; put a landline in the “家庭电话” column</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="61"/>
        <source>在“与户主关系”中把一位成员填为户主</source>
        <translation>Make one member the head in “与户主关系”</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="62"/>
        <source>一户只能有一位户主</source>
        <translation>A household has only one head</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="63"/>
        <source>一户最多一位配偶</source>
        <translation>A household has at most one spouse</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="64"/>
        <source>删去重复的一行</source>
        <translation>Delete the repeated row</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="65"/>
        <source>已导入过的人不必再导入：删去这一行，或在档案里修改</source>
        <translation>A person already imported need not be imported again: delete the row, or change them in the profile</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="66"/>
        <source>一人不能同时在两户：核对号码，或先在档案里把此人迁出</source>
        <translation>One person cannot be in two households: check the number, or move the person out in the profile first</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="67"/>
        <source>换一个户编号，或在档案里修改那一户</source>
        <translation>Use another household number, or change that household in the profile</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="68"/>
        <source>核对后统一</source>
        <translation>Check and make them the same</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="69"/>
        <source>核对后重新填写</source>
        <translation>Check and fill it in again</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="72"/>
        <source>找不到文件“{file}”。</source>
        <translation>The file “{file}” cannot be found.</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="73"/>
        <source>“{file}”不是 Excel 文件（.xlsx 或 .xls）。</source>
        <translation>“{file}” is not an Excel file (.xlsx or .xls).</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="74"/>
        <source>“{file}”打不开：文件可能已损坏或不完整。</source>
        <translation>“{file}” cannot be opened: it may be damaged or incomplete.</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="75"/>
        <source>“{file}”设了打开密码：请在 Excel 里去掉密码另存后再导入。</source>
        <translation>“{file}” has a password: remove it in Excel, save, and import again.</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="76"/>
        <source>“{file}”是空的，没有任何数据。</source>
        <translation>“{file}” is empty: there is no data in it.</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="77"/>
        <source>在“{file}”的前{rows}行里找不到表头（如“姓名”“身份证号”“与户主关系”）。</source>
        <translation>No header (such as “姓名”, “身份证号”, “与户主关系”) in the first {rows} rows of “{file}”.</translation>
    </message>
    <message>
        <location filename="../../roster_words.py" line="78"/>
        <source>“{file}”的表头下面没有数据。</source>
        <translation>“{file}” has no data under its header.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="52"/>
        <source>安居 — 打开档案</source>
        <translation>Anju — Open profile</translation>
    </message>
    <message>
        <location filename="../../start.py" line="56"/>
        <source>选择档案：</source>
        <translation>Choose a profile:</translation>
    </message>
    <message>
        <location filename="../../start.py" line="62"/>
        <location filename="../../sync_ops.py" line="170"/>
        <source>连接县服务器…</source>
        <translation>Connect to the county server…</translation>
    </message>
    <message>
        <location filename="../../start.py" line="63"/>
        <source>用县里给您的账号登记这台电脑，下载您网格里的户</source>
        <translation>Register this computer with the account the county gave you and download the households of your grid</translation>
    </message>
    <message>
        <location filename="../../start.py" line="64"/>
        <source>新建本机档案…</source>
        <translation>New local profile…</translation>
    </message>
    <message>
        <location filename="../../start.py" line="65"/>
        <source>不连服务器，只在这台电脑上记录；以后可以再连接县服务器</source>
        <translation>Record on this computer only, without a server; it can be connected to the county server later</translation>
    </message>
    <message>
        <location filename="../../start.py" line="66"/>
        <source>打开其他文件夹…</source>
        <translation>Open another folder…</translation>
    </message>
    <message>
        <location filename="../../start.py" line="86"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../start.py" line="113"/>
        <source>还没有档案。有县里给的账号，请点“连接县服务器…”；只在本机记录，请点“新建本机档案…”；也可以打开已有的档案文件夹。</source>
        <translation>No profile yet. With an account from the county, click "Connect to the county server…"; to record on this computer only, click "New local profile…"; or open an existing profile folder.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="146"/>
        <source>请先选择一个档案。</source>
        <translation>Choose a profile first.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="157"/>
        <source>正在打开……</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <location filename="../../start.py" line="179"/>
        <source>打不开这个档案：%1</source>
        <translation>The profile could not be opened: %1</translation>
    </message>
    <message>
        <location filename="../../start.py" line="186"/>
        <source>这个文件夹里没有安居档案。</source>
        <translation>This folder holds no Anju profile.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="215"/>
        <source>新建档案</source>
        <translation>New profile</translation>
    </message>
    <message>
        <location filename="../../start.py" line="230"/>
        <source>档案名称</source>
        <translation>Profile name</translation>
    </message>
    <message>
        <location filename="../../start.py" line="241"/>
        <source>再输一次密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <location filename="../../start.py" line="247"/>
        <source>创建</source>
        <translation>Create</translation>
    </message>
    <message>
        <location filename="../../start.py" line="264"/>
        <source>档案文件夹：这里已经有一个档案了，请换一个文件夹，或回到上一步直接打开它。</source>
        <translation>Profile folder: there is already a profile here; choose another folder, or go back and open it.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="268"/>
        <source>用户名：请填写（同步时用它登录县里的服务器）。</source>
        <translation>User name: required (it logs in to the county server when syncing).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../start.py" line="270"/>
        <source>密码：至少要 %n 个字符。</source>
        <translation>
            <numerusform>Password: at least %n character.</numerusform>
            <numerusform>Password: at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../start.py" line="272"/>
        <source>再输一次密码：两次输入的密码不一样。</source>
        <translation>Repeat password: the two passwords differ.</translation>
    </message>
    <message>
        <location filename="../../start.py" line="283"/>
        <source>正在创建加密档案……</source>
        <translation>Creating the encrypted profile…</translation>
    </message>
    <message>
        <location filename="../../start.py" line="293"/>
        <source>没能创建档案：%1</source>
        <translation>The profile could not be created: %1</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="23"/>
        <source>同一字段改成了不同的值</source>
        <translation>Same field changed to different values</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="23"/>
        <source>本机删除时别人改过</source>
        <translation>Deleted here, but changed by someone else</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="24"/>
        <source>修改的记录已被别人删除</source>
        <translation>Changed here, but deleted by someone else</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="47"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="47"/>
        <source>涉及的项</source>
        <translation>Fields</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="47"/>
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="47"/>
        <location filename="../../sync_dialogs.py" line="112"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="53"/>
        <source>被服务器拒绝的修改</source>
        <translation>Changes refused by the server</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="57"/>
        <source>县服务器没有接受下面这些修改，原因写在每一行。打开记录，按原因改正后保存，下次同步时会再上传；也可以在记录里放弃这些修改。</source>
        <translation>The county server did not accept these changes; each row says why. Open the record, correct it and save: it is sent again at the next sync. Or give the changes up in the record.</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="74"/>
        <source>打开记录</source>
        <translation>Open record</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="112"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="112"/>
        <source>服务器一方</source>
        <translation>Server's author</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="112"/>
        <source>服务器上的值</source>
        <translation>Value on the server</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="113"/>
        <source>另一方</source>
        <translation>Other author</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="113"/>
        <source>另一方的值</source>
        <translation>Other value</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="113"/>
        <source>情况</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="144"/>
        <source>整条记录</source>
        <translation>Whole record</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="158"/>
        <source>同步冲突审核</source>
        <translation>Review sync conflicts</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="178"/>
        <source>保留服务器的值</source>
        <translation>Keep the server's value</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="179"/>
        <source>改用另一方的值</source>
        <translation>Take the other value</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="180"/>
        <source>填写正确的值…</source>
        <translation>Enter the right value…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../sync_dialogs.py" line="203"/>
        <source>有 %n 条同步冲突等待处理。选择保留哪一方的值；处理结果会在下次同步时发给所有相关的电脑。</source>
        <translation>
            <numerusform>%n sync conflict is waiting. Choose which value to keep; the decision reaches every computer concerned at its next sync.</numerusform>
            <numerusform>%n sync conflicts are waiting. Choose which value to keep; the decisions reach every computer concerned at their next sync.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="204"/>
        <source>没有等待处理的同步冲突。</source>
        <translation>No sync conflicts are waiting.</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="221"/>
        <source>“%1”的正确值：</source>
        <translation>The right value of “%1”:</translation>
    </message>
    <message>
        <location filename="../../sync_dialogs.py" line="221"/>
        <source>填写正确的值</source>
        <translation>Enter the right value</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="107"/>
        <source>同步完成：上传 %1 项，下载 %2 项</source>
        <translation>Sync done: %1 sent, %2 received</translation>
    </message>
    <message numerus="yes">
        <location filename="../../sync_ops.py" line="110"/>
        <source>，%n 项与别人的修改冲突，等待村文书处理</source>
        <translation>
            <numerusform>; %n clashed with someone else's change and waits for the village clerk</numerusform>
            <numerusform>; %n clashed with someone else's changes and wait for the village clerk</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../sync_ops.py" line="112"/>
        <source>，%n 项被服务器拒绝</source>
        <translation>
            <numerusform>; %n refused by the server</numerusform>
            <numerusform>; %n refused by the server</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="164"/>
        <source>同步(&amp;Y)</source>
        <translation>S&amp;ync</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="166"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="167"/>
        <source>取消同步</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="169"/>
        <source>检查与县服务器的连接</source>
        <translation>Check the connection to the county server</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="172"/>
        <source>被服务器拒绝的修改…</source>
        <translation>Changes refused by the server…</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="179"/>
        <source>同步冲突审核…</source>
        <translation>Review sync conflicts…</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="203"/>
        <source>不能同步</source>
        <translation>Cannot sync</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="203"/>
        <source>这个档案还没有连接县服务器，只能离线工作。要同步，请点“同步 → 连接县服务器…”，填写县里给您的服务器地址和账号；档案里的记录都会保留，连接后上传。</source>
        <translation>This profile is not connected to the county server and works offline only. To sync, choose Sync → Connect to the county server… and enter the server address and account the county gave you; the records of the profile are kept and go up once connected.</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="212"/>
        <source>正在同步……</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="220"/>
        <source>正在取消同步……</source>
        <translation>Cancelling the sync…</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="232"/>
        <source>正在同步：上传 %1/%2</source>
        <translation>Syncing: sending %1/%2</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="234"/>
        <source>正在同步：整理户列表 %1/%2</source>
        <translation>Syncing: listing households %1/%2</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="236"/>
        <source>正在同步：下载 %1 条</source>
        <translation>Syncing: received %1</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="277"/>
        <location filename="../../sync_ops.py" line="387"/>
        <source>同步失败：%1</source>
        <translation>Sync failed: %1</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="279"/>
        <source>同步失败</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="340"/>
        <source>从县服务器重新下载您范围内的全部记录？本机还没上传的修改会保留，并先上传。户数多时要几分钟，期间可以继续工作。</source>
        <translation>Download every record in your scope from the county server again? Changes not yet sent are kept and go up first. With many households this takes a few minutes; you can keep working.</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="340"/>
        <source>重新下载</source>
        <translation>Download again</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="382"/>
        <source>已连接 县服务器</source>
        <translation>Connected to the county server</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="383"/>
        <source>县服务器正忙，稍后自动再同步</source>
        <translation>County server busy; syncs again shortly</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="383"/>
        <source>离线（连不上服务器）</source>
        <translation>Offline (the server cannot be reached)</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="389"/>
        <source>上次同步：%1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="389"/>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="433"/>
        <source>这条记录在本机已经不存在了。</source>
        <translation>This record no longer exists on this computer.</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="445"/>
        <source>没有被服务器拒绝的修改。</source>
        <translation>No changes were refused by the server.</translation>
    </message>
    <message>
        <location filename="../../sync_ops.py" line="476"/>
        <source>未能处理冲突</source>
        <translation>Could not settle the conflict</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="19"/>
        <source>您的修改都安全地留在本机，没有丢。</source>
        <translation> Your changes are safe on this computer; nothing is lost.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="22"/>
        <source>县服务器正忙</source>
        <translation>County server busy</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="22"/>
        <source>县服务器这会儿太忙，没能处理这次同步。过几分钟会自动再同步，也可以按 F9 再试。</source>
        <translation>The county server was too busy to take this sync just now. Anju syncs again on its own in a few minutes, or press F9 to try again.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="24"/>
        <source>上一次同步还没结束</source>
        <translation>Last sync still running</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="24"/>
        <source>县服务器还在处理这台电脑上一次发出的同步。过几分钟会自动再同步，也可以按 F9 再试。</source>
        <translation>The county server is still working on the sync this computer sent before. Anju syncs again on its own in a few minutes, or press F9 to try again.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="27"/>
        <source>连上网后会自动同步，也可以按 F9 再试。</source>
        <translation>It syncs on its own once the network is back, or press F9 to try again.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="27"/>
        <source>连不上县服务器</source>
        <translation>County server unreachable</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="30"/>
        <source>县里停用了您的账号，所以不能同步。请联系县管理员恢复账号。</source>
        <translation>The county disabled your account, so it cannot sync. Ask the county admin to enable it again.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="30"/>
        <source>账号已停用</source>
        <translation>Account disabled</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="32"/>
        <source>县里停用了这台电脑的登记（例如报告过丢失），所以不能同步。请联系县管理员：管理员同意恢复后，用“同步 → 连接县服务器…”重新登录即可，未上传的修改会一并上传。</source>
        <translation>The county revoked this computer (for example after it was reported lost), so it cannot sync. Ask the county admin: once the admin reinstates it, log in again with Sync → Connect to the county server…, and the changes not yet sent go up.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="32"/>
        <source>这台电脑已被停用</source>
        <translation>This computer was revoked</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="36"/>
        <source>县服务器不再认这台电脑的登录（例如密码改过或在别处登录过）。请用“同步 → 连接县服务器…”重新输入密码。</source>
        <translation>The county server no longer accepts this computer's login (the password changed, or a login elsewhere). Enter the password again with Sync → Connect to the county server….</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="36"/>
        <source>需要重新登录</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="40"/>
        <source>登录太频繁</source>
        <translation>Too many logins</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="42"/>
        <source>县服务器不收这批更改</source>
        <translation>The county server refuses this batch of changes</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="42"/>
        <source>这批更改超过了县服务器一次能收的大小。如果这些更改已经放进离线包，请把离线包交给文书转交，导入文书带回的回复包后再同步；否则请联系县管理员。</source>
        <translation>These changes are more than the county server takes at once. If they are already in an offline bundle, give the bundle to a clerk to forward, and sync after importing the reply the clerk brings back; otherwise contact the county administrator.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="46"/>
        <source>县服务器上一条{entity}记录（编号 {row_id}）的“{field}”存的值这台电脑无法保存（格式不对），同步停在这条记录之前。请县管理员在服务器上改正这条记录，然后再同步。</source>
        <translation>The county server holds a {entity} record ({row_id}) whose {field} this laptop cannot store (not in its format); the sync stopped before it. Ask the county admin to correct that record on the server, then sync again.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="46"/>
        <source>县服务器上有一条记录存不进本机</source>
        <translation>A record on the county server cannot be stored here</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="52"/>
        <source>县服务器要求更新版本的安居才能同步。请安装县里提供的新版本。</source>
        <translation>The county server needs a newer Anju to sync. Install the new version the county provides.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="52"/>
        <source>需要更新安居</source>
        <translation>Anju update required</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="54"/>
        <source>电脑的磁盘满了，同步写不进档案。请删掉一些不用的文件，再按 F9 同步。</source>
        <translation>The disk is full, so the sync cannot write to the profile. Delete some files you do not need, then press F9.</translation>
    </message>
    <message>
        <location filename="../../sync_words.py" line="54"/>
        <source>磁盘已满</source>
        <translation>Disk full</translation>
    </message>
    <message>
        <location filename="../../table_models.py" line="25"/>
        <source>户主身份证号</source>
        <translation>Head's ID number</translation>
    </message>
    <message>
        <location filename="../../table_models.py" line="26"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../table_models.py" line="29"/>
        <source>楼栋/单元/房号</source>
        <translation>Building/unit/room</translation>
    </message>
    <message>
        <location filename="../../table_models.py" line="31"/>
        <source>监测类别</source>
        <translation>Monitoring category</translation>
    </message>
    <message>
        <location filename="../../table_models.py" line="32"/>
        <source>修改时间</source>
        <translation>Last modified</translation>
    </message>
    <message>
        <source>%1 元/人·年</source>
        <translation type="vanished">%1 yuan per person per year</translation>
    </message>
    <message>
        <source>%1 的情况</source>
        <translation type="vanished">Figures for %1</translation>
    </message>
    <message>
        <source>%1单元</source>
        <translation type="vanished">Unit %1, </translation>
    </message>
    <message>
        <source>%1栋</source>
        <translation type="vanished">Bldg %1, </translation>
    </message>
    <message numerus="yes">
        <source>%n 行已被别人删除，您改过的内容还留着</source>
        <translation type="vanished">
            <numerusform>%n row was deleted by someone else; your edits to it are kept</numerusform>
            <numerusform>%n rows were deleted by someone else; your edits to them are kept</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>为保护资料，请 %n 秒后再试。</source>
        <translation type="vanished">
            <numerusform> To protect the data, try again in %n second.</numerusform>
            <numerusform> To protect the data, try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>人均纯收入</source>
        <translation type="vanished">Net income per person</translation>
    </message>
    <message>
        <source>保存时出错，资料没有写入：</source>
        <translation type="vanished">Saving failed; nothing was written:</translation>
    </message>
    <message>
        <source>办理状态：</source>
        <translation type="vanished">Status: </translation>
    </message>
    <message>
        <source>县以下的代码：乡镇3位，或乡镇3位加村3位；没有可不填</source>
        <translation type="vanished">The code below the county: 3 digits for the township, or 3 for the township and 3 for the village; leave empty if unknown</translation>
    </message>
    <message>
        <source>县服务器没有接受下面这些修改，原因写在每一行。请按原因改正后重新保存，下次同步时会再上传。</source>
        <translation type="vanished">The county server did not accept the changes below; each row says why. Correct them as the reasons say and save again: they will be sent at the next sync.</translation>
    </message>
    <message>
        <source>县服务器没有接受这里的修改：</source>
        <translation type="vanished">The county server did not accept these changes:</translation>
    </message>
    <message numerus="yes">
        <source>台账导出和与县服务器同步将在这里进行。现在有 %n 项修改等待同步；它们安全地保存在本机的加密档案里。</source>
        <translation type="vanished">
            <numerusform>Ledger export and sync with the county server will be done here. %n change is waiting to be synced; it is kept safely in the encrypted profile on this computer.</numerusform>
            <numerusform>Ledger export and sync with the county server will be done here. %n changes are waiting to be synced; they are kept safely in the encrypted profile on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>台账导出将在这里进行。现在有 %n 项修改等待同步；它们安全地保存在本机的加密档案里，联网后按 F9 与县服务器同步。</source>
        <translation type="vanished">
            <numerusform>Ledger export will be done here. %n change is waiting to be synced; it is kept safely in the encrypted profile on this computer. When online, press F9 to sync with the county server.</numerusform>
            <numerusform>Ledger export will be done here. %n changes are waiting to be synced; they are kept safely in the encrypted profile on this computer. When online, press F9 to sync with the county server.</numerusform>
        </translation>
    </message>
    <message>
        <source>安居：易地扶贫搬迁后续扶持的入户排查与跟踪。资料加密保存在本机，联网后与县服务器同步。</source>
        <translation type="vanished">Anju: household surveys and follow-up support for families resettled under the poverty-alleviation relocation programme. Data is kept encrypted on this computer and synced with the county server when online.</translation>
    </message>
    <message>
        <source>安置点和网格来自县服务器。用 anju enroll 命令向县服务器登记本机，登记时会下载它们；现在可以先不填，以后再补。</source>
        <translation type="vanished">Settlements and grids come from the county server: enroll this computer with the county server (the anju enroll command) and they are downloaded. You may leave them empty now and fill them in later.</translation>
    </message>
    <message>
        <source>打不开这个档案：</source>
        <translation type="vanished">Cannot open this profile: </translation>
    </message>
    <message>
        <source>收入</source>
        <translation type="vanished">Income</translation>
    </message>
    <message>
        <source>数据文件夹</source>
        <translation type="vanished">Data folder</translation>
    </message>
    <message>
        <source>文件写不进去：%1</source>
        <translation type="vanished">The file cannot be written: %1</translation>
    </message>
    <message>
        <source>新增培训…</source>
        <translation type="vanished">New training…</translation>
    </message>
    <message>
        <source>新增就业…</source>
        <translation type="vanished">New job…</translation>
    </message>
    <message>
        <source>新增成员…</source>
        <translation type="vanished">New member…</translation>
    </message>
    <message>
        <source>新建档案…</source>
        <translation type="vanished">New profile…</translation>
    </message>
    <message>
        <source>本月走访…</source>
        <translation type="vanished">This month's visit…</translation>
    </message>
    <message>
        <source>每位成员本月的就业状态和收入（已按上次走访填好，核对后修改即可）：</source>
        <translation type="vanished">Each member's employment and income this month (filled in from the last visit; check and correct):</translation>
    </message>
    <message>
        <source>没能创建档案：</source>
        <translation type="vanished">Could not create the profile: </translation>
    </message>
    <message>
        <source>登记诉求…</source>
        <translation type="vanished">Record a grievance…</translation>
    </message>
    <message>
        <source>程序出错了，详情已记入日志（帮助 → 打开日志文件夹）：%1</source>
        <translation type="vanished">Something went wrong in the program; the details are in the log (Help → Open the log folder): %1</translation>
    </message>
    <message>
        <source>第 %1 位成员：</source>
        <translation type="vanished">Member %1: </translation>
    </message>
    <message>
        <source>请核对：</source>
        <translation type="vanished">Please check: </translation>
    </message>
    <message numerus="yes">
        <source>还有 %n 处问题，改正后才能保存。点一条问题可跳到那里。</source>
        <translation type="vanished">
            <numerusform>%n problem must be fixed before saving. Click it to go there.</numerusform>
            <numerusform>%n problems must be fixed before saving. Click one to go there.</numerusform>
        </translation>
    </message>
    <message>
        <source>还没有档案。请点“新建档案…”，或打开已有的档案文件夹。</source>
        <translation type="vanished">No profiles yet. Click “New profile…”, or open an existing profile folder.</translation>
    </message>
    <message>
        <source>这个档案没有在县服务器登记，只能离线工作，不能同步。要同步，请先用命令“python main.py enroll --profile 新档案文件夹 --server 县服务器地址 --username 用户名”为这台电脑登记一个档案，再打开那个档案。</source>
        <translation type="vanished">This profile is not enrolled with the county server: it works offline and cannot sync. To sync, first enroll this computer with the command “python main.py enroll --profile NEW-PROFILE-FOLDER --server COUNTY-SERVER-URL --username USERNAME”, then open that profile.</translation>
    </message>
    <message>
        <source>这条记录已被删除或不存在，请刷新列表。</source>
        <translation type="vanished">This record was deleted or does not exist; please refresh the list.</translation>
    </message>
    <message>
        <source>（收入里有看不懂的数字）</source>
        <translation type="vanished">(an income figure is not a number)</translation>
    </message>
</context>
</TS>
