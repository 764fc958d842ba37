; Inno Setup script of Anju (安居) for Windows: a per-user install without administrator rights.
;
; Build on Windows, after the one-folder build (python installer\build.py makes dist\anju\):
;   iscc /DAppVersion=0.1.0 installer\windows\anju.iss
; or `python installer\build.py --installer`, which runs iscc with the version from pyproject.toml.
; Needs Inno Setup 6.3 or later (its Languages folder carries ChineseSimplified.isl since 6.3; with an
; older one, put the translation from jrsoftware.org/files/istrans there). Writes dist\anju-<version>-setup.exe.
;
; The program goes to %LOCALAPPDATA%\Programs\Anju; profiles, settings and the log live in
; %LOCALAPPDATA%\anju (the program's platformdirs), outside the program's folder, so an upgrade or an
; uninstall never touches them unless the user asks the uninstaller to remove them.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define Root "..\.."
#ifndef DistDir
  #define DistDir Root + "\dist"
#endif

[Setup]
AppId={{6D1F3B0A-4C59-4E1E-9C35-AB2E4A1F7C11}
AppName=安居 Anju
AppVersion={#AppVersion}
AppVerName=安居 Anju {#AppVersion}
AppPublisher=安居 Anju
VersionInfoVersion={#AppVersion}
VersionInfoProductName=安居 Anju
VersionInfoDescription=易地扶贫搬迁后续扶持 安居
DefaultDirName={autopf}\Anju
DefaultGroupName=安居
DisableProgramGroupPage=yes
; Per user: no administrator rights needed; an administrator may still choose "for all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#DistDir}
OutputBaseFilename=anju-{#AppVersion}-setup
SetupIconFile={#Root}\installer\icons\anju.ico
UninstallDisplayIcon={app}\anju.exe
UninstallDisplayName=安居 Anju {#AppVersion}
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running Anju first (its profile is saved on close), then replaces the program.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
zh.DesktopIcon=在桌面上创建快捷方式
en.DesktopIcon=Create a desktop shortcut
zh.RemoveData=是否同时删除本机默认位置（%LOCALAPPDATA%\anju）的安居档案，以及设置和日志？%n%n档案中尚未同步到县服务器的修改会一并丢失。一般请选择“否”：重新安装后档案仍可打开。存放在其他文件夹的档案不会被删除。
en.RemoveData=Also delete the Anju profiles in the default place (%LOCALAPPDATA%\anju), the settings and the log?%n%nChanges not yet synced to the county server would be lost with them. Usually answer No: a new install opens the profiles again. Profiles kept in other folders are not touched.
zh.Launch=启动安居
en.Launch=Start Anju

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"

[Files]
Source: "{#DistDir}\anju\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\安居 Anju"; Filename: "{app}\anju.exe"; IconFilename: "{app}\anju.exe"
; anju-cli.exe is the same program with a console, for the command-line verbs (anju-cli selftest, status, …)
Name: "{autodesktop}\安居 Anju"; Filename: "{app}\anju.exe"; IconFilename: "{app}\anju.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\anju.exe"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

[InstallDelete]
; An upgrade replaces the program whole: libraries and modules the old version had and the new one has not
; must not stay beside it.
Type: filesandordirs; Name: "{app}\_internal"

[UninstallDelete]
; Only what the install itself made: the program's folder. The user's data is asked about below.
Type: filesandordirs; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    { asked only in a per-user install: an administrator's "all users" uninstall cannot see users' data }
    if not UninstallSilent() and not IsAdminInstallMode() then
      if MsgBox(CustomMessage('RemoveData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
      begin
        { profiles made in the default place, the demo profile and the log; then the settings (QSettings) }
        DelTree(ExpandConstant('{localappdata}\anju'), True, True, True);
        DelTree(ExpandConstant('{userappdata}\Anju'), True, True, True);
      end;
end;
