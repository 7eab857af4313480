namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// Where a dataset is and how to read it: a file (or, for MMLU, a folder of per-subject files), its built-in format,
/// the field mapping from configuration, and optionally the table format when the extension does not tell it.
/// </summary>
public sealed record DatasetSource(string Path, DatasetFormat Format, FieldMapping? Fields = null, TableFormat? Table = null)
{
    /// <summary>The field mapping, identity when none is configured.</summary>
    public FieldMapping Mapping => Fields ?? FieldMapping.Identity;
}
