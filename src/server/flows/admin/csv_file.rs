//! The console's CSV downloads. Their cells carry text users typed (usernames, addresses, browser
//! names), and a spreadsheet runs a cell that starts like a formula: each such cell is written
//! with a leading `'`, which spreadsheets show as text (OWASP's advice on CSV injection).

use crate::{error::AppError, server::error::internal};

pub struct CsvFile(csv::Writer<Vec<u8>>);

impl CsvFile {
    pub fn new(header: &[&str]) -> Result<CsvFile, AppError> {
        let mut file = CsvFile(csv::Writer::from_writer(Vec::new()));
        file.row(header.iter().map(|name| name.to_string()))?;
        Ok(file)
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) -> Result<(), AppError> {
        self.0
            .write_record(cells.into_iter().map(inert))
            .map_err(internal)
    }

    pub fn finish(self) -> Result<String, AppError> {
        let bytes = self.0.into_inner().map_err(internal)?;
        String::from_utf8(bytes).map_err(internal)
    }
}

fn inert(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        let mut file = CsvFile::new(&["name", "agent"]).unwrap();
        for formula in [
            "=HYPERLINK(\"http://x.example\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            file.row([String::from("plain"), formula.to_string()]).unwrap();
        }
        let text = file.finish().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "name,agent");
        assert_eq!(lines[1], "plain,\"'=HYPERLINK(\"\"http://x.example\"\")\"");
        assert_eq!(lines[2], "plain,'+1");
        assert_eq!(lines[3], "plain,'-2+3");
        assert_eq!(lines[4], "plain,'@SUM(A1)");
        assert!(text.contains("'\tx") && text.contains("'\rx"), "{text}");
    }
}
