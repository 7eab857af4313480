namespace LoraPar.Pipeline.Export;

/// <summary>What <c>lorapar export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>A PEFT adapter folder for the original base model.</summary>
    Peft,

    /// <summary>A Hugging Face checkpoint with the adapter merged into the base weights.</summary>
    Merged,

    /// <summary>Both.</summary>
    Both,
}
