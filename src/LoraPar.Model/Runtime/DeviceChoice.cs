using TorchSharp;

namespace LoraPar.Model.Runtime;

/// <summary>Where tensors live: <c>auto</c> picks CUDA when a device is visible, else the CPU.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when available, else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>CUDA (an error where none is visible).</summary>
    Cuda,
}

/// <summary>Resolves a <see cref="DeviceChoice"/> to a TorchSharp device.</summary>
public static class DeviceResolver
{
    /// <summary>The device for <paramref name="choice"/>; asking for CUDA where none is visible is an error that says so.</summary>
    public static torch.Device Resolve(DeviceChoice choice)
    {
        var info = TorchRuntime.EnsureInitialized();
        return choice switch
        {
            DeviceChoice.Cpu => torch.CPU,
            DeviceChoice.Cuda when info.CudaAvailable => torch.CUDA,
            DeviceChoice.Cuda => throw new TorchRuntimeException(
                "device = \"cuda\" was asked for, but no CUDA device is visible: build with -p:TorchBackend=cuda on a GPU host, or use device = \"auto\" or \"cpu\"."),
            _ => info.CudaAvailable ? torch.CUDA : torch.CPU,
        };
    }
}
