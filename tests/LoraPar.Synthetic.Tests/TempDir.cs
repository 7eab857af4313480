namespace LoraPar.Synthetic.Tests;

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lorapar-synth-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
