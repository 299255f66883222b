//! Reading the source file as hostile input: a size cap checked before anything is read and again while reading
//! (a pipe or a growing file has no size to check), UTF-8 required where the format is text, and every byte kept
//! in a buffer that is wiped when dropped (the file holds passwords in clear).

use std::{
    fs::File,
    io::{self, Read},
    path::Path,
};

use zeroize::Zeroizing;

use coffre_i18n::t;

use crate::exit::{Failure, io_reason};

/// The largest file `coffre import` reads: 64 MiB. A spreadsheet of ten thousand accounts is well under 5 MiB; a
/// larger file is not an export of passwords, or is one whose parsing could exhaust this computer's memory.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most entries one import reads: 100,000, the most a vault is built for (DESIGN.md, Performance).
pub(crate) const MAX_ITEMS: usize = 100_000;

/// Refuses a file of more than [`MAX_ITEMS`] entries (`count` is how many were read so far): each costs a few
/// hundred bytes as an item and a step of the plan, so that a 64 MiB file of short rows would take gigabytes.
pub(crate) fn within_items(count: usize, path: &Path) -> Result<(), Failure> {
    if count <= MAX_ITEMS {
        return Ok(());
    }
    Err(Failure::new(
        crate::exit::Kind::Exhausted,
        t!("import-too-many", path = path.display().to_string(), max = MAX_ITEMS.to_string()),
    ))
}

/// Reads `path` whole, refusing it when it is larger than `cap` bytes (before reading it when its size is known).
pub(crate) fn read_capped(path: &Path, cap: u64) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let cannot = |err: io::Error| {
        Failure::invalid(t!("file-cannot-read", path = path.display().to_string(), reason = io_reason(&err)))
    };
    let file = File::open(path).map_err(cannot)?;
    let too_large = || {
        Failure::new(
            crate::exit::Kind::Exhausted,
            t!("import-file-too-large", path = path.display().to_string(), mib = (cap / (1024 * 1024)).to_string()),
        )
    };
    let known = file.metadata().map_err(cannot)?;
    if known.is_file() && known.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(known.len().min(cap)).unwrap_or(0)));
    file.take(cap + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The text of `bytes` (a UTF-8 byte order mark removed), or an error that says where the first invalid byte is
/// and how to export the file again as UTF-8.
pub(crate) fn utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, Failure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|err| {
        let valid = bytes.get(..err.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        Failure::invalid(t!("import-not-utf8", path = path.display().to_string(), line = line))
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn files_over_the_cap_are_refused_before_they_are_read() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("big.csv");
        // Sparse: 100 MiB of apparent size, no disk used.
        File::create(&path)?.set_len(100 * 1024 * 1024)?;
        let err = read_capped(&path, MAX_FILE_BYTES).err().map(|e| (e.exit_code(), e.message().to_owned()));
        let (code, message) = err.unwrap_or_default();
        assert_eq!(code, 10);
        assert!(message.contains("larger than 64 MiB"), "{message}");
        let small = dir.path().join("small.csv");
        File::create(&small)?.write_all(b"0123456789")?;
        assert!(read_capped(&small, 9).is_err(), "the cap is also enforced while reading");
        assert_eq!(read_capped(&small, 10).map(|b| b.len()).ok(), Some(10));
        Ok(())
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_line() {
        let path = Path::new("export.csv");
        let err = utf8(b"name,password\nCaf\xe9,x\n", path).err().map(|e| e.message().to_owned()).unwrap_or_default();
        assert!(err.contains("not UTF-8") && err.contains("line 2"), "{err}");
        assert_eq!(utf8(b"\xEF\xBB\xBFname", path).ok(), Some("name"));
    }
}
