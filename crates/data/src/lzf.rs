//! LZF decompression (the liblzf format used by h5py's `compression="lzf"`,
//! HDF5 filter id 32000). hdf5-reader has no built-in decoder for it, so
//! one is registered through its filter registry (see `h5ad::open_file`).

/// HDF5 filter id registered by h5py for LZF.
pub const FILTER_LZF: u16 = 32000;

/// Decompresses `input`, producing at most `max_out` bytes.
/// Errors name the offset where the stream stops making sense.
pub fn decompress(input: &[u8], max_out: usize) -> Result<Vec<u8>, String> {
    let mut out: Vec<u8> = Vec::with_capacity(max_out.min(input.len().saturating_mul(4)).max(16));
    let mut ip = 0usize;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < 32 {
            // Literal run of ctrl + 1 bytes.
            let len = ctrl + 1;
            let end = ip + len;
            if end > input.len() {
                return Err(format!(
                    "LZF literal run at byte {} runs past the input ({} bytes)",
                    ip - 1,
                    input.len()
                ));
            }
            if out.len() + len > max_out {
                return Err(format!("LZF output exceeds the expected {max_out} bytes"));
            }
            out.extend_from_slice(&input[ip..end]);
            ip = end;
        } else {
            // Back-reference: length in the top 3 bits (7 = extended), offset in the low 5 bits + next byte.
            let mut len = ctrl >> 5;
            if len == 7 {
                let b = *input
                    .get(ip)
                    .ok_or_else(|| format!("LZF stream truncated at byte {ip}"))?;
                len += b as usize;
                ip += 1;
            }
            let lo = *input
                .get(ip)
                .ok_or_else(|| format!("LZF stream truncated at byte {ip}"))?;
            ip += 1;
            let back = ((ctrl & 0x1f) << 8) + lo as usize + 1;
            len += 2;
            if back > out.len() {
                return Err(format!(
                    "LZF back-reference at byte {} points before the start of the output",
                    ip - 2
                ));
            }
            if out.len() + len > max_out {
                return Err(format!("LZF output exceeds the expected {max_out} bytes"));
            }
            let start = out.len() - back;
            // Byte by byte: the copy may overlap what it writes (run-length style).
            for k in 0..len {
                let b = out[start + k];
                out.push(b);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_backref() {
        // "abcabcabc": literal "abc" (ctrl=2) then a back-reference of length 6, offset 3.
        // len 6 -> stored len-2 = 4 -> ctrl = 4<<5 | ((3-1)>>8) = 0x80, low byte = 2.
        let input = [2u8, b'a', b'b', b'c', 0x80, 2];
        assert_eq!(decompress(&input, 100).unwrap(), b"abcabcabc");
    }

    #[test]
    fn extended_length_run() {
        // 'z' then a run of 20 more 'z': len 20 -> 20-2 = 18 = 7 + 11 -> ctrl 0xE0, ext 11, offset 1 -> low 0.
        let input = [0u8, b'z', 0xE0, 11, 0];
        assert_eq!(decompress(&input, 100).unwrap(), vec![b'z'; 21]);
    }

    #[test]
    fn corrupt_inputs_are_errors() {
        assert!(decompress(&[5, b'a'], 100).is_err());
        assert!(decompress(&[0x80, 2], 100).is_err());
        assert!(decompress(&[2u8, b'a', b'b', b'c', 0x80, 2], 4).is_err());
    }
}
