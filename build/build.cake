// lorapar build script (Cake 7, local tool: `dotnet tool restore` then `dotnet cake build/build.cake --target=<Task>`).
//
// Tasks
//   Build       restore and build the solution (warnings are errors)
//   Test        run every test project (CPU, minutes)
//   Pack        pack the lorapar .NET tool into artifacts/feed (version 0.1.0-local.<timestamp>)
//   Install     Pack, then install that package as a local tool in .config/dotnet-tools.json (git-ignored),
//               so `dotnet lorapar ...` works from the repository root
//   InstallGlobal  Pack, then install that package as a global tool (`dotnet tool update --global lorapar --add-source
//               artifacts/feed`, into ~/.dotnet/tools) and run it from a folder outside the clone (`lorapar --version`, `lorapar info`)
//   Quickstart  Install, run experiments/quickstart.toml end to end, print its results beside baselines/quickstart.toml
//   Regress     Build, then (1) run experiments/ci.toml in a fresh folder and compare with the committed snapshots, and
//               (2) run experiments/ci.toml and experiments/quickstart.toml with the CLI just built and hold each to
//               baselines/<name>.toml within its [tolerances] (`lorapar compare --check`: fails listing every cell outside;
//               ≈ 10 min from a fresh cache, nearly all of it the quickstart)
//   Default     Build + Test
//
// Arguments: --configuration=Release|Debug (default Release); --torch-backend=cpu|cuda (default cpu; cuda builds against
// TorchSharp-cuda-linux for GPU hosts); --quickstart-cache=fresh|shared (Regress; default fresh: ci and quickstart run from an
// empty cache in artifacts/regress/, so every stage runs with this build's code; shared: they reuse the repository's
// artifacts/ cache, a no-op in seconds when they have already run there).

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var torchBackend = Argument("torch-backend", "cpu");
var quickstartCache = Argument("quickstart-cache", "fresh");
var msbuild = new DotNetMSBuildSettings().WithProperty("TorchBackend", torchBackend);

var repo = MakeAbsolute(Directory(".."));   // Cake runs with build/ as its working directory
var solution = repo.CombineWithFilePath("LoraPar.slnx");
var feed = repo.Combine("artifacts/feed");
var cliProject = repo.CombineWithFilePath("src/LoraPar.Cli/LoraPar.Cli.csproj");
var toolManifest = repo.CombineWithFilePath(".config/dotnet-tools.json");

string packedVersion = null;

// Runs `dotnet <args>` in the repository root and fails the task on a non-zero exit code.
void Dotnet(string arguments)
{
    var code = StartProcess("dotnet", new ProcessSettings { Arguments = arguments, WorkingDirectory = repo });
    if (code != 0) throw new Exception($"dotnet {arguments} exited with {code}");
}

Task("Build")
    .Does(() => DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration, MSBuildSettings = msbuild }));

Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(solution.FullPath, new DotNetTestSettings { Configuration = configuration, NoBuild = true }));

Task("Pack")
    .Does(() =>
    {
        EnsureDirectoryExists(feed);
        DeleteFiles(feed.FullPath + "/lorapar.*.nupkg");   // one tool package at a time: they are large
        var suffix = "local." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        DotNetPack(cliProject.FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = feed,
            VersionSuffix = suffix,
            MSBuildSettings = msbuild,
        });
        packedVersion = "0.1.0-" + suffix;
        Information($"packed lorapar {packedVersion} into {feed}");
    });

Task("Install")
    .IsDependentOn("Pack")
    .Does(() =>
    {
        // .config/dotnet-tools.json shadows the committed dotnet-tools.json, so it starts as a copy of it (Cake stays
        // runnable) and gains lorapar. It is git-ignored: a fresh clone's `dotnet tool restore` never asks for a package
        // that has not been built yet.
        EnsureDirectoryExists(toolManifest.GetDirectory());
        CopyFile(repo.CombineWithFilePath("dotnet-tools.json"), toolManifest);
        Dotnet($"tool update lorapar --local --tool-manifest .config/dotnet-tools.json --add-source artifacts/feed --version {packedVersion}");
        Dotnet("lorapar --version");
        RemoveOtherInstalledVersions();
    });

Task("InstallGlobal")
    .IsDependentOn("Pack")
    .Does(() =>
    {
        Dotnet($"tool update --global lorapar --add-source artifacts/feed --version {packedVersion}");
        // Started by its path, from an empty folder outside the clone: no repository file, no local tool manifest helps it.
        var lorapar = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "lorapar");
        var outside = System.IO.Directory.CreateTempSubdirectory("lorapar-global-").FullName;
        try
        {
            foreach (var arguments in new[] { "--version", "info" })
            {
                var code = StartProcess(lorapar, new ProcessSettings { Arguments = arguments, WorkingDirectory = outside });
                if (code != 0) throw new Exception($"{lorapar} {arguments} exited with {code} in {outside}");
            }
        }
        finally
        {
            System.IO.Directory.Delete(outside, recursive: true);
        }
        Information($"lorapar {packedVersion} is installed globally; add ~/.dotnet/tools to PATH to call it as 'lorapar'");
    });

Task("Quickstart")
    .IsDependentOn("Install")
    .Does(() =>
    {
        Dotnet("lorapar run experiments/quickstart.toml");
        // The results table: this run beside the pinned results in baselines/quickstart.toml, with differences.
        Dotnet("lorapar compare experiments/quickstart.toml --baseline baselines/quickstart.toml");
        Information("full report: artifacts/runs/quickstart/report.md");
    });

Task("Regress")
    .IsDependentOn("Build")
    .Does(() =>
    {
        // 1. experiments/ci.toml, run in a fresh folder by the regression tests, against the committed snapshots.
        DotNetTest(solution.FullPath, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            Filter = "FullyQualifiedName~LoraPar.Pipeline.Tests.Regression",
        });
        // 2. experiments/ci.toml and experiments/quickstart.toml with the CLI just built, each held to its pinned numbers
        //    (baselines/<name>.toml) within the tolerances stated there.
        var cli = "\"" + BuiltCli().FullPath + "\"";
        foreach (var name in new[] { "ci", "quickstart" })
        {
            var manifest = RegressManifest(name);
            Dotnet($"{cli} run {manifest}");
            Dotnet($"{cli} compare {manifest} --baseline baselines/{name}.toml --check");
        }
    });

Task("Default")
    .IsDependentOn("Test");

// The lorapar CLI the Build task compiled (run with `dotnet <dll>`).
FilePath BuiltCli() =>
    GetFiles(repo.FullPath + $"/src/LoraPar.Cli/bin/{configuration}/*/lorapar.dll").SingleOrDefault()
    ?? throw new Exception($"lorapar.dll not found under src/LoraPar.Cli/bin/{configuration}; run the Build task first");

// The manifest Regress runs: the committed one (shared cache), or a copy in a fresh folder whose ../artifacts is empty, so
// no stage is reused from an earlier build (ci.toml and quickstart.toml read no file beside themselves, so copies run as is).
string RegressManifest(string name)
{
    switch (quickstartCache)
    {
        case "shared":
            return $"experiments/{name}.toml";
        case "fresh":
            var fresh = repo.Combine($"artifacts/regress/{name}");
            EnsureDirectoryExists(fresh);
            CleanDirectory(fresh);
            EnsureDirectoryExists(fresh.Combine("experiments"));
            CopyFile(repo.CombineWithFilePath($"experiments/{name}.toml"), fresh.CombineWithFilePath($"experiments/{name}.toml"));
            return $"artifacts/regress/{name}/experiments/{name}.toml";
        default:
            throw new Exception($"--quickstart-cache={quickstartCache}: expected fresh or shared");
    }
}

// Each Install leaves a ~1 GB extracted tool package in the NuGet cache; keep the three newest (other clones on this
// machine may still use theirs; `dotnet tool restore` re-extracts a removed one from its feed).
void RemoveOtherInstalledVersions()
{
    var cache = EnvironmentVariable("NUGET_PACKAGES")
        ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    var installed = System.IO.Path.Combine(cache, "lorapar");
    if (!System.IO.Directory.Exists(installed)) return;
    var stale = System.IO.Directory.GetDirectories(installed)
        .Where(d => !System.IO.Path.GetFileName(d).Equals(packedVersion, StringComparison.OrdinalIgnoreCase))
        .OrderByDescending(System.IO.Directory.GetLastWriteTimeUtc)
        .Skip(2);
    foreach (var dir in stale) System.IO.Directory.Delete(dir, recursive: true);
}

RunTarget(target);
