using System.CommandLine;
using System.Reflection;
using LoraPar.Model.Runtime;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar info</c>: initialises the tensor runtime and prints what this host offers.</summary>
public static class InfoCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("info", "Load the tensor runtime and print the tool version, native library, CPU and vector ISA, MKL code path, ATen's instruction set, devices and threads.");
        command.SetAction(_ =>
        {
            var info = TorchRuntime.EnsureInitialized();
            stdout.WriteLine($"lorapar      {ToolVersion.Current}");
            stdout.WriteLine($"torchsharp   {typeof(TorchSharp.torch).Assembly.GetName().Version}");
            stdout.WriteLine($"native       {info.NativeLibrary ?? "(located by TorchSharp)"}");
            stdout.WriteLine($"patched      {(info.PatchedVersions.Count == 0 ? "none needed" : string.Join(", ", info.PatchedVersions) + " marked weak")}");
            stdout.WriteLine($"cpu          {info.Cpu}");
            stdout.WriteLine($"mkl          {info.Mkl.Describe()}");
            stdout.WriteLine($"aten         {(info.Aten.Length == 0 ? "capability not reported" : info.Aten)} [{AtenCapability.Variable}={Environment.GetEnvironmentVariable(AtenCapability.Variable) ?? "unset"}]");
            stdout.WriteLine($"kernels      {info.Kernels}");
            stdout.WriteLine($"cuda         {(info.CudaAvailable ? "available" : "not available")}");
            stdout.WriteLine($"cpu threads  {TorchSharp.torch.get_num_threads()}");
            return 0;
        });
        return command;
    }
}
