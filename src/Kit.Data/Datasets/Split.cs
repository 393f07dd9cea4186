namespace Kit.Data.Datasets;

/// <summary>Which list file a line comes from. JSON writes these as "metadata", "train", "val".</summary>
public enum Split
{
    Metadata,
    Train,
    Val,
}
