using System.Diagnostics;
using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

/// <summary>
/// Builds a real pair of shared objects whose version need cannot be met (the situation of libLibTorchSharp.so on an
/// older libstdc++), and checks that marking the need weak makes the dynamic loader accept it.
/// </summary>
public sealed class ElfVersionNeedsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-elf-").FullName;

    // The loader matches a needed library by soname against everything already in the process, so each test gets its own name.
    private readonly string _prov = $"prov{Guid.NewGuid():N}";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void A_library_needing_a_missing_version_loads_after_the_need_is_marked_weak()
    {
        var consumer = BuildConsumerOfMissingVersion();
        var before = ElfVersionNeeds.Read(File.ReadAllBytes(consumer));
        Assert.Contains(before, n => n.Library == $"lib{_prov}.so" && n is { Version: "LPTEST_2.0", IsWeak: false });

        var patched = TorchRuntime.LoadPatchingIfNeeded(consumer);

        Assert.Equal(["LPTEST_2.0"], patched);
        var after = ElfVersionNeeds.Read(File.ReadAllBytes(consumer));
        Assert.Contains(after, n => n is { Version: "LPTEST_2.0", IsWeak: true });
        Assert.All(after.Where(n => n.Version != "LPTEST_2.0"), n => Assert.False(n.IsWeak));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [SkippableFact]
    public void A_library_that_loads_is_left_untouched()
    {
        var consumer = BuildConsumerOfMissingVersion();
        File.Copy(Path.Combine(_dir, "v2", $"lib{_prov}.so"), Path.Combine(_dir, $"lib{_prov}.so"), overwrite: true);
        var bytes = File.ReadAllBytes(consumer);

        Assert.Empty(TorchRuntime.LoadPatchingIfNeeded(consumer));
        Assert.Equal(bytes, File.ReadAllBytes(consumer));
    }

    [Fact]
    public void MarkWeak_rejects_a_file_that_is_not_elf()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[128]));
    }

    [Fact]
    public void A_library_that_fails_for_another_reason_gives_one_clear_error()
    {
        var bogus = Path.Combine(_dir, "libbogus.so");
        File.WriteAllBytes(bogus, new byte[256]);
        var error = Assert.Throws<TorchRuntimeException>(() => TorchRuntime.LoadPatchingIfNeeded(bogus));
        Assert.Contains("libbogus.so", error.Message);
        Assert.Contains("libstdc++", error.Message);
    }

    [Fact]
    public void MissingVersions_reads_the_loader_message()
    {
        const string message = "/x/libLibTorchSharp.so: /lib/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/libLibTorchSharp.so)";
        Assert.Equal(["GLIBCXX_3.4.32"], TorchRuntime.MissingVersions(message));
    }

    /// <summary>
    /// consumer.so is linked against a libprov.so that defines f@LPTEST_2.0, then placed beside an older libprov.so
    /// that only defines f@LPTEST_1.0, so loading it fails with "version `LPTEST_2.0' not found".
    /// </summary>
    private string BuildConsumerOfMissingVersion()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Which("gcc"), "needs Linux and gcc to build the test ELF files");
        Write("prov.c", "int f(void) { return 1; }\n");
        Write("consumer.c", "extern int f(void);\nint g(void) { return f(); }\n");
        Write("v1.map", "LPTEST_1.0 { global: f; local: *; };\n");
        Write("v2.map", "LPTEST_2.0 { global: f; local: *; };\n");
        Directory.CreateDirectory(Path.Combine(_dir, "v2"));
        Gcc($"-shared -fPIC -o v2/lib{_prov}.so prov.c -Wl,--version-script=v2.map -Wl,-soname,lib{_prov}.so");
        Gcc($"-shared -fPIC -o libconsumer.so consumer.c -Lv2 -l{_prov} -Wl,-rpath,$ORIGIN");
        Gcc($"-shared -fPIC -o lib{_prov}.so prov.c -Wl,--version-script=v1.map -Wl,-soname,lib{_prov}.so");
        return Path.Combine(_dir, "libconsumer.so");
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    private void Gcc(string arguments)
    {
        var start = new ProcessStartInfo("gcc", arguments) { WorkingDirectory = _dir, RedirectStandardError = true };
        using var gcc = Process.Start(start)!;
        var stderr = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, $"gcc {arguments} failed: {stderr}");
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));
}
